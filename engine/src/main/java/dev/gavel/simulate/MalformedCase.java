package dev.gavel.simulate;

/** A line that is not a valid case; {@code error} says where and why. */
public record MalformedCase(String id, int line, String error) implements CaseLine {}
