package dev.gavel.sts;

import java.util.List;

/**
 * The parameters of {@code AssumeRoleWithSAML}: {@code principalArn} is the SAML provider, and
 * {@code samlAssertion} the base64 SAML response the identity provider issued.
 */
public record SamlRequest(String roleArn, String principalArn, String samlAssertion, Integer durationSeconds,
        String policy, List<String> policyArns) {

    public SamlRequest {
        policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
    }
}
