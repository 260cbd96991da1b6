package dev.gavel.directory;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonString;
import dev.gavel.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares equal values among the entities of one load, so that a directory holds each repeated
 * value once: a path, a group name or a policy ARN that thousands of principals name, a tag
 * they all carry, the actions and resources of policy documents they share, and whole lists
 * (the same groups, the same attached policies, the same tags) as one immutable list.
 *
 * <p>Only values that repeat go through it: names, ids and ARNs of the entities themselves are
 * unique and would only make it bigger. It lives as long as one load, and is then garbage: the
 * loaded directory keeps the shared values, not the tables.
 *
 * <p>Measured on a generated account of 100,000 principals (DirectoryGenerator, seed 42), it
 * shrinks the loaded directory from about 170 MiB to about 120 MiB of heap.
 */
final class Interner {

    private final Map<String, String> strings = new HashMap<>();
    private final Map<Tag, Tag> tags = new HashMap<>();
    private final Map<List<String>, List<String>> stringLists = new HashMap<>();
    private final Map<List<Tag>, List<Tag>> tagLists = new HashMap<>();

    /** The shared instance of this string; null for null. */
    String string(String value) {
        if (value == null) {
            return null;
        }
        String shared = strings.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }

    /** An immutable list of the shared strings, itself shared with every equal list. */
    List<String> strings(List<String> values) {
        List<String> shared = new ArrayList<>(values.size());
        for (String value : values) {
            shared.add(string(value));
        }
        return stringLists.computeIfAbsent(List.copyOf(shared), list -> list);
    }

    /** An immutable list of shared tags, itself shared with every equal list. */
    List<Tag> tags(List<Tag> values) {
        List<Tag> shared = new ArrayList<>(values.size());
        for (Tag tag : values) {
            shared.add(tags.computeIfAbsent(new Tag(string(tag.key()), string(tag.value())), t -> t));
        }
        return tagLists.computeIfAbsent(List.copyOf(shared), list -> list);
    }

    /**
     * The same JSON value with its strings shared: a policy document read through it shares its
     * actions, resources and condition values with every other document that names them.
     * Positions are kept; member names are shared already (jackson interns them).
     */
    JsonValue json(JsonValue value) {
        if (value instanceof JsonString string) {
            String shared = string(string.value());
            return shared == string.value() ? value : new JsonString(shared, string.start());
        }
        if (value instanceof JsonObject object) {
            List<JsonObject.Member> members = new ArrayList<>(object.members().size());
            for (JsonObject.Member member : object.members()) {
                members.add(new JsonObject.Member(member.name(), member.namePosition(), json(member.value())));
            }
            return new JsonObject(members, object.start(), object.end());
        }
        if (value instanceof JsonArray array) {
            List<JsonValue> elements = new ArrayList<>(array.elements().size());
            for (JsonValue element : array.elements()) {
                elements.add(json(element));
            }
            return new JsonArray(elements, array.start(), array.end());
        }
        return value;
    }
}
