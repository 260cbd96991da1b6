package dev.gavel.directory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The facts of a session: the temporary credentials an STS flow issued and everything a request
 * made with them is decided by. A session token carries exactly this, sealed.
 *
 * @param kind how the session was obtained
 * @param roleArn the assumed role, or null for a user's session ({@link Kind#USER})
 * @param userArn the user, for a user's session; otherwise null
 * @param sessionName the role session name, or null for a user's session
 * @param accessKeyId the {@code ASIA...} key id the session signs with
 * @param inlinePolicy the inline session policy's JSON text, or null
 * @param policyArns the managed session policies
 * @param tags session tags, which override the role's tags of the same key
 * @param transitiveTagKeys tag keys that pass on to sessions chained from this one
 * @param sourceIdentity the source identity set on the session, or null
 * @param mfaAuthenticatedAt when the caller authenticated with MFA, or null without MFA
 * @param federatedProvider the identity provider's ARN for web identity and SAML sessions, the
 *     service principal for a service's session; otherwise null
 * @param chained whether a role session assumed this role (role chaining caps it at one hour)
 */
public record Session(Kind kind, String accountId, String roleArn, String userArn, String sessionName,
        String accessKeyId, Instant issuedAt, Instant expiresAt, String inlinePolicy, List<String> policyArns,
        Map<String, String> tags, List<String> transitiveTagKeys, String sourceIdentity, Instant mfaAuthenticatedAt,
        String federatedProvider, boolean chained) {

    /** How a session was obtained. */
    public enum Kind {
        /** {@code AssumeRole} by a user or a role session. */
        ASSUMED_ROLE,
        /** {@code AssumeRoleWithWebIdentity} with an OIDC token. */
        WEB_IDENTITY,
        /** {@code AssumeRoleWithSAML} with a SAML assertion. */
        SAML,
        /** An AWS service assuming its service role. */
        SERVICE,
        /** {@code GetSessionToken}: a user's own temporary credentials. */
        USER
    }

    public Session {
        policyArns = List.copyOf(policyArns);
        tags = Map.copyOf(tags);
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
    }

    /** The ARN requests made with the session carry: the assumed-role session, or the user. */
    public String principalArn() {
        if (kind == Kind.USER) {
            return userArn;
        }
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        String partition = roleArn.split(":", 3)[1];
        return "arn:" + partition + ":sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName;
    }
}
