package dev.gavel.directory;

import dev.gavel.policy.Policy;

/** A policy embedded in one user, group or role, under its name. */
public record InlinePolicy(String name, Policy document) {}
