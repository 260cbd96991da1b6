package dev.gavel.directory;

import java.util.List;

/** An IAM group: policies shared by the users in it. A group is never a principal. */
public record Group(String accountId, String name, String path, String id, String arn,
        List<InlinePolicy> inlinePolicies, List<String> attachedPolicyArns) {

    public Group {
        inlinePolicies = List.copyOf(inlinePolicies);
        attachedPolicyArns = List.copyOf(attachedPolicyArns);
    }
}
