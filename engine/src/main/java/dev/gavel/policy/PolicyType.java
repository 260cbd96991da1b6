package dev.gavel.policy;

/**
 * The role a policy plays in a request. It decides which elements a policy must and must not
 * have, and which of AWS's evaluation steps reads it.
 */
public enum PolicyType {
    /** Attached to a user, group or role (managed or inline). */
    IDENTITY("identity"),
    /** Attached to a resource: bucket, key, queue, topic... Names its principals. */
    RESOURCE("resource"),
    /** A role's trust policy: who may assume it. A resource policy with no Resource element. */
    TRUST("trust"),
    /** A permissions boundary: the most an identity's policies can grant. */
    BOUNDARY("boundary"),
    /** A session policy passed when a role is assumed: the most the session can do. */
    SESSION("session"),
    /** A service control policy: the most any principal of an account can do. */
    SCP("scp"),
    /** A resource control policy: the most that can be done to resources of an account. */
    RCP("rcp"),
    /** A VPC endpoint policy: the most any request through the endpoint can do. Names its principals. */
    ENDPOINT("endpoint");

    private final String cliName;

    PolicyType(String cliName) {
        this.cliName = cliName;
    }

    /** The lowercase name used on the command line and in explanations. */
    public String cliName() {
        return cliName;
    }

    /** Whether its statements name principals: resource-based, trust and endpoint policies. */
    public boolean namesPrincipals() {
        return this == RESOURCE || this == TRUST || this == ENDPOINT;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
