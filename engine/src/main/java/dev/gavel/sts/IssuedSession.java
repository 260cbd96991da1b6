package dev.gavel.sts;

import dev.gavel.directory.Session;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an STS flow returns: the session, its credentials, the packed size of its session
 * policies and tags, and the flow's own response fields in the order AWS prints them (for web
 * identity {@code SubjectFromWebIdentityToken}, {@code Provider}, {@code Audience},
 * {@code SourceIdentity}; for SAML {@code Subject}, {@code SubjectType}, {@code Issuer}...).
 *
 * @param packedPolicySize the packed size as a percentage of the allowance, or null when the
 *     request passed no session policies and no session tags (AWS then returns no
 *     {@code PackedPolicySize})
 */
public record IssuedSession(Session session, Credentials credentials, Integer packedPolicySize,
        Map<String, String> details) {

    public IssuedSession {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** {@code ROLEID:SESSION}, the session's {@code aws:userid}; null for a user's session. */
    public String assumedRoleId(String roleId) {
        return roleId + ":" + session.sessionName();
    }
}
