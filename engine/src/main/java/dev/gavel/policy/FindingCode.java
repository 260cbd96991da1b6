package dev.gavel.policy;

/**
 * Every finding Gavel reports, with its stable code and severity. Codes never change meaning;
 * tools may match on them.
 */
public enum FindingCode {
    // Structure: reported by the parser; a policy with any of these is never evaluated.
    /** The text is not JSON. */
    JSON_SYNTAX(Severity.ERROR),
    /** The text is longer or nested deeper than Gavel reads. */
    LIMIT_EXCEEDED(Severity.ERROR),
    /** An element holds the wrong JSON type, such as a number for Effect. */
    INVALID_TYPE(Severity.ERROR),
    /** An object names the same key twice; JSON readers disagree on which one counts. */
    DUPLICATE_KEY(Severity.ERROR),
    /** An element the policy language does not have, such as a misspelt Resource. */
    UNKNOWN_ELEMENT(Severity.ERROR),
    /** The policy has no Statement. */
    MISSING_STATEMENT(Severity.ERROR),
    /** An array that must hold at least one value is empty. */
    EMPTY_ARRAY(Severity.ERROR),
    /** A statement has no Effect. */
    MISSING_EFFECT(Severity.ERROR),
    /** Effect is not exactly Allow or Deny. */
    INVALID_EFFECT(Severity.ERROR),
    /** A statement has both an element and its Not form, such as Action and NotAction. */
    CONFLICTING_ELEMENTS(Severity.ERROR),
    /** Version is neither 2012-10-17 nor 2008-10-17. */
    INVALID_VERSION(Severity.ERROR),
    /** A Principal is malformed, names an unknown principal type, or uses a partial wildcard. */
    INVALID_PRINCIPAL(Severity.ERROR),
    /** A condition operator that the policy language does not have. */
    UNKNOWN_OPERATOR(Severity.ERROR),
    /** A qualifier before the colon other than ForAllValues or ForAnyValue. */
    UNKNOWN_SET_OPERATOR(Severity.ERROR),
    /** A condition operator spelled in another case than documented; AWS reads it all the same. */
    NONCANONICAL_OPERATOR(Severity.WARNING),

    // Meaning: reported by the validator, some depending on the policy type.
    /** The policy has no Version: variables are literal text and newer features are off. */
    MISSING_VERSION(Severity.WARNING),
    /** A statement has neither Action nor NotAction. */
    MISSING_ACTION(Severity.ERROR),
    /** A statement has neither Resource nor NotResource where the policy type requires one. */
    MISSING_RESOURCE(Severity.ERROR),
    /** Resource or NotResource in a policy type that forbids it (trust policies). */
    RESOURCE_NOT_ALLOWED(Severity.ERROR),
    /** A resource-based policy statement with neither Principal nor NotPrincipal. */
    MISSING_PRINCIPAL(Severity.ERROR),
    /** Principal or NotPrincipal in a policy type that forbids it, or a form it does not support. */
    PRINCIPAL_NOT_ALLOWED(Severity.ERROR),
    /** An element or value the policy type does not support, such as NotPrincipal in an RCP. */
    UNSUPPORTED_ELEMENT(Severity.ERROR),
    /** An Effect the policy type does not allow, such as Allow in a resource control policy. */
    EFFECT_NOT_ALLOWED(Severity.ERROR),
    /** The policy is longer than the policy type's quota. */
    POLICY_SIZE_EXCEEDED(Severity.ERROR),
    /**
     * The policy may exceed its quota: its type is only guessed (and AWS managed policies have
     * none), or it fits an organization policy's quota only once whitespace is removed.
     */
    POLICY_SIZE_UNCHECKED(Severity.WARNING),
    /** A character outside tab, line feed, carriage return and U+0020 to U+00FF. */
    INVALID_CHARACTER(Severity.ERROR),
    /** An action that is neither {@code *} nor {@code service:action}. */
    INVALID_ACTION(Severity.ERROR),
    /** A resource that is neither {@code *} nor an ARN with six parts. */
    INVALID_ARN(Severity.ERROR),
    /** Two statements with the same Sid. */
    DUPLICATE_SID(Severity.ERROR),
    /** A Sid with characters other than ASCII letters and digits, where IAM requires them. */
    INVALID_SID(Severity.ERROR),
    /** A condition value that cannot be read as the operator's type (date, number, address...). */
    INVALID_CONDITION_VALUE(Severity.ERROR),
    /** {@code ${...}} in a policy that is not 2012-10-17, where it is literal text. */
    VARIABLE_IN_OLD_VERSION(Severity.WARNING),
    /** {@code ${...}} where AWS never substitutes it, such as in Action or a Numeric condition. */
    VARIABLE_NOT_SUBSTITUTED(Severity.WARNING),
    /** An action whose service prefix AWS does not have. */
    UNKNOWN_SERVICE(Severity.WARNING),
    /** An action the service does not have, or a wildcard that matches none of its actions. */
    UNKNOWN_ACTION(Severity.WARNING),
    /**
     * Allow with NotPrincipal: AWS supports NotPrincipal only with Deny. Simulated anyway, such a
     * statement never allows a caller any of whose identities it lists.
     */
    ALLOW_WITH_NOT_PRINCIPAL(Severity.ERROR),
    /** iam:PassRole on every role lets the holder hand any role to a service. */
    PASS_ROLE_WITH_STAR_IN_RESOURCE(Severity.SECURITY_WARNING),
    /** An action that another pattern of the same statement already covers. */
    REDUNDANT_ACTION(Severity.SUGGESTION),
    /** A resource that another pattern of the same statement already covers. */
    REDUNDANT_RESOURCE(Severity.SUGGESTION),

    // Case files: reported when reading a simulation case file.
    /**
     * A case line that cannot be run: not JSON, a field missing or of the wrong type, or a policy
     * the parser rejects.
     */
    MALFORMED_CASE(Severity.ERROR),
    /** A field the case format does not have, such as a misspelt policy field: the case ignores it. */
    UNKNOWN_CASE_FIELD(Severity.WARNING),

    // Route tables: reported when reading a gateway's route table.
    /**
     * A route table that cannot be used: a field missing or malformed, such as a method, a path
     * template, a context key or its source.
     */
    INVALID_ROUTE(Severity.ERROR),
    /** A field the route table format does not have, such as a misspelt Resource. */
    UNKNOWN_ROUTE_FIELD(Severity.ERROR),
    /** A placeholder in a route's resource or context that its path does not define. */
    UNDEFINED_PLACEHOLDER(Severity.ERROR),
    /**
     * A context key a route cannot supply: one Gavel fills from the principal, the resource's
     * account or the clock, one the gateway fills from the connection, or one only AWS's network
     * and services set.
     */
    RESERVED_CONTEXT_KEY(Severity.ERROR),
    /** A route that never matches, because an earlier route matches every request it does. */
    UNREACHABLE_ROUTE(Severity.WARNING);

    private final Severity severity;

    FindingCode(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }
}
