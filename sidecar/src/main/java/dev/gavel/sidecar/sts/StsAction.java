package dev.gavel.sidecar.sts;

import java.util.Set;

/** The STS actions the query API answers, and whether AWS requires each request to be signed. */
enum StsAction {
    ASSUME_ROLE("AssumeRole", true),
    /** Unsigned in AWS: the identity provider's token is the authentication. */
    ASSUME_ROLE_WITH_WEB_IDENTITY("AssumeRoleWithWebIdentity", false),
    /** Unsigned in AWS: the identity provider's signed assertion is the authentication. */
    ASSUME_ROLE_WITH_SAML("AssumeRoleWithSAML", false),
    GET_SESSION_TOKEN("GetSessionToken", true),
    GET_CALLER_IDENTITY("GetCallerIdentity", true);

    /** The only API version of STS, which every request names. */
    static final String VERSION = "2011-06-15";

    /** Actions of the STS API that Gavel does not answer; refused with a message that says so. */
    static final Set<String> UNSUPPORTED = Set.of("AssumeRoot", "DecodeAuthorizationMessage", "GetAccessKeyInfo",
            "GetDelegatedAccessToken", "GetFederationToken", "GetWebIdentityToken");

    private final String awsName;
    private final boolean signed;

    StsAction(String awsName, boolean signed) {
        this.awsName = awsName;
        this.signed = signed;
    }

    /** The action's name in the API, such as {@code AssumeRole}. */
    String awsName() {
        return awsName;
    }

    boolean signed() {
        return signed;
    }

    /** The action of this name (exactly as AWS spells it), or null. */
    static StsAction named(String name) {
        for (StsAction action : values()) {
            if (action.awsName.equals(name)) {
                return action;
            }
        }
        return null;
    }
}
