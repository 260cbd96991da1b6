package dev.gavel.sts;

import dev.gavel.directory.Tag;
import dev.gavel.eval.RequestContext;
import java.util.List;

/**
 * The parameters of {@code AssumeRole}, as the STS API names them. Null means not given.
 * {@link #builder} names each optional parameter; the canonical constructor stays for callers
 * that already pass all twelve.
 *
 * @param policy an inline session policy's JSON text
 * @param policyArns managed session policies
 * @param serialNumber and {@code tokenCode}: the caller's MFA device and its current code
 * @param context request facts the trust policy may test ({@code aws:SourceIp}...)
 */
public record AssumeRoleRequest(String roleArn, String roleSessionName, Integer durationSeconds, String externalId,
        String policy, List<String> policyArns, List<Tag> tags, List<String> transitiveTagKeys, String sourceIdentity,
        String serialNumber, String tokenCode, RequestContext context) {

    public AssumeRoleRequest {
        policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
        tags = tags == null ? List.of() : List.copyOf(tags);
        transitiveTagKeys = transitiveTagKeys == null ? List.of() : List.copyOf(transitiveTagKeys);
        context = context == null ? RequestContext.empty() : context;
    }

    /** The minimal request: a role and a session name. */
    public static AssumeRoleRequest of(String roleArn, String roleSessionName) {
        return builder(roleArn, roleSessionName).build();
    }

    /** A request for a role and a session name, to which the builder adds the optional parameters. */
    public static Builder builder(String roleArn, String roleSessionName) {
        return new Builder(roleArn, roleSessionName);
    }

    /** Names the optional parameters of {@code AssumeRole} one by one. */
    public static final class Builder {
        private final String roleArn;
        private final String roleSessionName;
        private Integer durationSeconds;
        private String externalId;
        private String policy;
        private List<String> policyArns;
        private List<Tag> tags;
        private List<String> transitiveTagKeys;
        private String sourceIdentity;
        private String serialNumber;
        private String tokenCode;
        private RequestContext context;

        private Builder(String roleArn, String roleSessionName) {
            this.roleArn = roleArn;
            this.roleSessionName = roleSessionName;
        }

        public Builder durationSeconds(Integer seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public Builder externalId(String id) {
            this.externalId = id;
            return this;
        }

        /** An inline session policy's JSON text. */
        public Builder policy(String json) {
            this.policy = json;
            return this;
        }

        /** Managed session policies. */
        public Builder policyArns(List<String> arns) {
            this.policyArns = arns;
            return this;
        }

        public Builder tags(List<Tag> sessionTags) {
            this.tags = sessionTags;
            return this;
        }

        public Builder transitiveTagKeys(List<String> keys) {
            this.transitiveTagKeys = keys;
            return this;
        }

        public Builder sourceIdentity(String identity) {
            this.sourceIdentity = identity;
            return this;
        }

        /** The caller's MFA device and the code it shows now. */
        public Builder mfa(String deviceSerialNumber, String code) {
            this.serialNumber = deviceSerialNumber;
            this.tokenCode = code;
            return this;
        }

        /** Request facts the trust policy may test ({@code aws:SourceIp}...). */
        public Builder context(RequestContext facts) {
            this.context = facts;
            return this;
        }

        public AssumeRoleRequest build() {
            return new AssumeRoleRequest(roleArn, roleSessionName, durationSeconds, externalId, policy, policyArns,
                    tags, transitiveTagKeys, sourceIdentity, serialNumber, tokenCode, context);
        }
    }
}
