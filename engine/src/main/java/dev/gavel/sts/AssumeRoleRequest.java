package dev.gavel.sts;

import dev.gavel.directory.Tag;
import dev.gavel.eval.RequestContext;
import java.util.List;

/**
 * The parameters of {@code AssumeRole}, as the STS API names them. Null means not given.
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
        return new AssumeRoleRequest(roleArn, roleSessionName, null, null, null, null, null, null, null, null, null,
                null);
    }
}
