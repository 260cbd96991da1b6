package dev.gavel.sts;

import java.util.List;

/**
 * The parameters of {@code AssumeRoleWithSAML}: {@code principalArn} is the SAML provider, and
 * {@code samlAssertion} the base64 SAML response the identity provider issued. Null means not
 * given. Start from {@link #of} and add the optional parameters with the {@code with...} methods.
 *
 * <p>The session name, session tags, transitive tag keys and source identity are not parameters:
 * the identity provider puts them in the assertion as {@code https://aws.amazon.com/SAML/Attributes/}
 * attributes.
 */
public record SamlRequest(String roleArn, String principalArn, String samlAssertion, Integer durationSeconds,
        String policy, List<String> policyArns) {

    public SamlRequest {
        policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
    }

    /** The required parameters: the role, the SAML provider, and the base64 SAML response. */
    public static SamlRequest of(String roleArn, String principalArn, String samlAssertion) {
        return new SamlRequest(roleArn, principalArn, samlAssertion, null, null, List.of());
    }

    public SamlRequest withDurationSeconds(Integer seconds) {
        return new SamlRequest(roleArn, principalArn, samlAssertion, seconds, policy, policyArns);
    }

    /** An inline session policy's JSON text. */
    public SamlRequest withPolicy(String json) {
        return new SamlRequest(roleArn, principalArn, samlAssertion, durationSeconds, json, policyArns);
    }

    /** Managed session policies. */
    public SamlRequest withPolicyArns(List<String> arns) {
        return new SamlRequest(roleArn, principalArn, samlAssertion, durationSeconds, policy, arns);
    }
}
