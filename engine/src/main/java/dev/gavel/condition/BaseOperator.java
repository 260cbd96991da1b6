package dev.gavel.condition;

/**
 * The condition operators of the IAM policy language, without set qualifier or {@code IfExists}.
 * A negated operator ({@code StringNotEquals}) holds when the request value matches none of the
 * policy values.
 */
public enum BaseOperator {
    STRING_EQUALS("StringEquals", OperatorFamily.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", OperatorFamily.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", OperatorFamily.STRING, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", OperatorFamily.STRING, true),
    STRING_LIKE("StringLike", OperatorFamily.STRING, false),
    STRING_NOT_LIKE("StringNotLike", OperatorFamily.STRING, true),
    NUMERIC_EQUALS("NumericEquals", OperatorFamily.NUMERIC, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", OperatorFamily.NUMERIC, true),
    NUMERIC_LESS_THAN("NumericLessThan", OperatorFamily.NUMERIC, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", OperatorFamily.NUMERIC, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", OperatorFamily.NUMERIC, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", OperatorFamily.NUMERIC, false),
    DATE_EQUALS("DateEquals", OperatorFamily.DATE, false),
    DATE_NOT_EQUALS("DateNotEquals", OperatorFamily.DATE, true),
    DATE_LESS_THAN("DateLessThan", OperatorFamily.DATE, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", OperatorFamily.DATE, false),
    DATE_GREATER_THAN("DateGreaterThan", OperatorFamily.DATE, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", OperatorFamily.DATE, false),
    BOOL("Bool", OperatorFamily.BOOL, false),
    BINARY_EQUALS("BinaryEquals", OperatorFamily.BINARY, false),
    IP_ADDRESS("IpAddress", OperatorFamily.IP_ADDRESS, false),
    NOT_IP_ADDRESS("NotIpAddress", OperatorFamily.IP_ADDRESS, true),
    ARN_EQUALS("ArnEquals", OperatorFamily.ARN, false),
    ARN_NOT_EQUALS("ArnNotEquals", OperatorFamily.ARN, true),
    ARN_LIKE("ArnLike", OperatorFamily.ARN, false),
    ARN_NOT_LIKE("ArnNotLike", OperatorFamily.ARN, true),
    NULL("Null", OperatorFamily.NULL, false);

    private final String jsonName;
    private final OperatorFamily family;
    private final boolean negated;

    BaseOperator(String jsonName, OperatorFamily family, boolean negated) {
        this.jsonName = jsonName;
        this.family = family;
        this.negated = negated;
    }

    /** The operator's name as a policy writes it. */
    public String jsonName() {
        return jsonName;
    }

    public OperatorFamily family() {
        return family;
    }

    /** Whether the operator holds when the request value matches none of the policy values. */
    public boolean negated() {
        return negated;
    }

    /** The operator for this exact name, or null. */
    public static BaseOperator fromJson(String name) {
        for (BaseOperator operator : values()) {
            if (operator.jsonName.equals(name)) {
                return operator;
            }
        }
        return null;
    }
}
