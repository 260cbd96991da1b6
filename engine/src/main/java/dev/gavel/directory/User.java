package dev.gavel.directory;

import java.util.List;

/**
 * An IAM user: a permanent identity that signs requests with its long-term access keys.
 *
 * @param groupNames the groups it belongs to, by name
 * @param attachedPolicyArns its attached managed policies
 * @param permissionsBoundaryArn the managed policy that bounds it, or null
 */
public record User(String accountId, String name, String path, String id, String arn, List<String> groupNames,
        List<InlinePolicy> inlinePolicies, List<String> attachedPolicyArns, String permissionsBoundaryArn,
        List<Tag> tags) {

    public User {
        groupNames = List.copyOf(groupNames);
        inlinePolicies = List.copyOf(inlinePolicies);
        attachedPolicyArns = List.copyOf(attachedPolicyArns);
        tags = List.copyOf(tags);
    }
}
