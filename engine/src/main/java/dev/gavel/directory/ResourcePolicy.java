package dev.gavel.directory;

import dev.gavel.policy.Policy;

/**
 * One resource (a bucket, key, queue, topic...): the account that owns it and its policy, which
 * is null when the entry only says who owns the resource.
 */
public record ResourcePolicy(String resourceArn, String accountId, Policy policy) {}
