package dev.gavel.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The context keys of a request and their values. Key names are case-insensitive, as in IAM;
 * values are compared as the operators say. A key is single-valued ({@code aws:SourceIp}) or
 * multivalued ({@code aws:TagKeys}); a multivalued key may hold no value at all.
 */
public final class RequestContext {

    /** One key's values, under the key's name as the request spelled it. */
    public record Entry(String key, List<String> values, boolean multivalued) {

        public Entry {
            values = List.copyOf(values);
        }
    }

    private static final RequestContext EMPTY = new RequestContext(Map.of());

    private final Map<String, Entry> entries;

    private RequestContext(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static RequestContext empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The key's entry, or null when the request does not carry the key. */
    public Entry get(String key) {
        return entries.get(normalize(key));
    }

    /** The key's single value, or null when it is absent or multivalued. */
    public String single(String key) {
        Entry entry = get(key);
        return entry == null || entry.multivalued() || entry.values().size() != 1 ? null : entry.values().get(0);
    }

    /** Every entry, in the order the keys were added. */
    public Iterable<Entry> entries() {
        return entries.values();
    }

    public int size() {
        return entries.size();
    }

    /** A builder that also starts from this context's entries. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.entries.putAll(entries);
        return builder;
    }

    static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return entries.values().toString();
    }

    /** Collects context keys; a later value for the same key (in any case) replaces the earlier. */
    public static final class Builder {

        private final Map<String, Entry> entries = new LinkedHashMap<>();

        private Builder() {}

        public Builder put(String key, String value) {
            entries.put(normalize(key), new Entry(key, List.of(value), false));
            return this;
        }

        public Builder putMultivalued(String key, List<String> values) {
            entries.put(normalize(key), new Entry(key, values, true));
            return this;
        }

        /** Adds the key only when the context does not have it yet. */
        public Builder putIfAbsent(String key, String value) {
            entries.putIfAbsent(normalize(key), new Entry(key, List.of(value), false));
            return this;
        }

        public Builder remove(String key) {
            entries.remove(normalize(key));
            return this;
        }

        public RequestContext build() {
            return entries.isEmpty() ? EMPTY
                    : new RequestContext(Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
        }
    }
}
