package dev.gavel.sts;

import java.util.List;

/**
 * The parameters of {@code AssumeRoleWithWebIdentity}. Null means not given. Start from
 * {@link #of} and add the optional parameters with the {@code with...} methods.
 *
 * <p>The session tags, transitive tag keys and source identity are not parameters: the identity
 * provider puts them in the token ({@code https://aws.amazon.com/tags} and
 * {@code https://aws.amazon.com/source_identity}).
 */
public record WebIdentityRequest(String roleArn, String roleSessionName, String webIdentityToken,
        Integer durationSeconds, String policy, List<String> policyArns) {

    public WebIdentityRequest {
        policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
    }

    /** The required parameters: the role, a session name, and the OIDC token. */
    public static WebIdentityRequest of(String roleArn, String roleSessionName, String webIdentityToken) {
        return new WebIdentityRequest(roleArn, roleSessionName, webIdentityToken, null, null, List.of());
    }

    public WebIdentityRequest withDurationSeconds(Integer seconds) {
        return new WebIdentityRequest(roleArn, roleSessionName, webIdentityToken, seconds, policy, policyArns);
    }

    /** An inline session policy's JSON text. */
    public WebIdentityRequest withPolicy(String json) {
        return new WebIdentityRequest(roleArn, roleSessionName, webIdentityToken, durationSeconds, json, policyArns);
    }

    /** Managed session policies. */
    public WebIdentityRequest withPolicyArns(List<String> arns) {
        return new WebIdentityRequest(roleArn, roleSessionName, webIdentityToken, durationSeconds, policy, arns);
    }
}
