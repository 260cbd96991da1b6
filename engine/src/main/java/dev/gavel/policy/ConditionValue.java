package dev.gavel.policy;

/**
 * One value of a condition, as text. JSON numbers and booleans are accepted like AWS does and
 * kept as written; {@code json} records which JSON type it had so the policy prints back alike.
 */
public record ConditionValue(String text, JsonType json, SourceLocation location) {

    /** The JSON type a condition value was written as. */
    public enum JsonType { STRING, NUMBER, BOOLEAN }
}
