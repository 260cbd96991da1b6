package dev.gavel.json;

import java.util.List;

/** A JSON object: its members in source order, duplicates kept, and where it ends. */
public record JsonObject(List<Member> members, Position start, Position end) implements JsonValue {

    /** One {@code "name": value} pair of an object. */
    public record Member(String name, Position namePosition, JsonValue value) {}

    public JsonObject {
        members = List.copyOf(members);
    }

    /** The value of the first member with this exact name, or null. */
    public JsonValue get(String name) {
        for (Member member : members) {
            if (member.name().equals(name)) {
                return member.value();
            }
        }
        return null;
    }

    @Override
    public String typeName() {
        return "object";
    }
}
