package dev.gavel.directory;

/** A tag on a user, role or session: a key and its value. Keys compare without regard to case. */
public record Tag(String key, String value) {}
