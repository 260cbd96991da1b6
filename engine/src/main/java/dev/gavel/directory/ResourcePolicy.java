package dev.gavel.directory;

import dev.gavel.policy.Policy;

/** The policy attached to one resource (a bucket, key, queue, topic...) and the account that owns it. */
public record ResourcePolicy(String resourceArn, String accountId, Policy policy) {}
