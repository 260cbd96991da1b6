package dev.gavel.directory;

import dev.gavel.policy.Policy;

/**
 * A managed policy, customer or AWS managed, with the document of its default version.
 *
 * @param arn {@code arn:aws:iam::ACCOUNT:policy/PATH/NAME} or {@code arn:aws:iam::aws:policy/NAME}
 */
public record ManagedPolicy(String arn, String name, String path, String id, Policy document) {

    /** Whether AWS maintains it ({@code arn:aws:iam::aws:policy/...}). */
    public boolean awsManaged() {
        return arn.contains(":iam::aws:policy/");
    }
}
