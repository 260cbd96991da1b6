package dev.gavel.compile;

import java.util.Map;

/**
 * An immutable map from strings that can be looked up by a region of a larger string, such as
 * the account or the bucket inside an ARN, without cutting the region out: no allocation.
 */
final class RegionMap<V> {

    private final String[] keys;
    private final Object[] values;
    private final int mask;

    RegionMap(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        entries.forEach((key, value) -> {
            int i = spread(key.hashCode()) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
        });
    }

    /** The value for {@code text[from, to)}, or null. */
    @SuppressWarnings("unchecked")
    V get(String text, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + text.charAt(i);
        }
        int length = to - from;
        int i = spread(hash) & mask;
        while (keys[i] != null) {
            String key = keys[i];
            if (key.length() == length && key.regionMatches(0, text, from, length)) {
                return (V) values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    V get(String key) {
        return get(key, 0, key.length());
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
