package dev.gavel.condition;

/** The value type a condition operator compares: it decides how both sides are parsed. */
public enum OperatorFamily {
    STRING,
    NUMERIC,
    DATE,
    BOOL,
    BINARY,
    IP_ADDRESS,
    ARN,
    NULL;

    /** Whether policy variables are substituted in this family's policy values. */
    public boolean acceptsVariables() {
        return this == STRING || this == ARN;
    }
}
