package dev.gavel.directory;

import dev.gavel.policy.Policy;

/**
 * One resource (a bucket, key, queue, topic...): the account that owns it and its policy, which
 * is null when the entry only says who owns the resource.
 *
 * @param restrictPublicBuckets for an S3 bucket, whether Block Public Access's
 *     {@code RestrictPublicBuckets} is on: a public bucket policy then grants nothing to
 *     anonymous callers or to other accounts
 */
public record ResourcePolicy(String resourceArn, String accountId, Policy policy, boolean restrictPublicBuckets) {}
