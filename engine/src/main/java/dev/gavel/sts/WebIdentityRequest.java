package dev.gavel.sts;

import java.util.List;

/** The parameters of {@code AssumeRoleWithWebIdentity}. Null means not given. */
public record WebIdentityRequest(String roleArn, String roleSessionName, String webIdentityToken,
        Integer durationSeconds, String policy, List<String> policyArns) {

    public WebIdentityRequest {
        policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
    }
}
