package dev.gavel.policy;

/** One principal named in a {@code Principal} map, such as {@code AWS: 111122223333}. */
public record PrincipalId(PrincipalKind kind, String value, SourceLocation location) {}
