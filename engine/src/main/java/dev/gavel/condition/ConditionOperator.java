package dev.gavel.condition;

/**
 * A condition operator as written in a policy, such as {@code ForAnyValue:StringLikeIfExists}:
 * the base operator, its set qualifier, and whether a missing key makes the test hold.
 */
public record ConditionOperator(SetOperator setOperator, BaseOperator base, boolean ifExists) {

    private static final String IF_EXISTS = "IfExists";

    /** The name as a policy writes it. */
    public String jsonName() {
        String qualifier = setOperator == SetOperator.NONE ? "" : setOperator.jsonName() + ":";
        return qualifier + base.jsonName() + (ifExists ? IF_EXISTS : "");
    }

    @Override
    public String toString() {
        return jsonName();
    }

    /** What parsing an operator name found: the operator, or why there is none. */
    public sealed interface ParseOutcome permits Parsed, UnknownSetOperator, UnknownOperator {}

    /**
     * A valid operator name; {@code canonical} is false when it is spelled in another case than
     * the documentation's (AWS reads operator names without regard to case).
     */
    public record Parsed(ConditionOperator operator, boolean canonical) implements ParseOutcome {}

    /** A name whose qualifier before the colon is neither ForAllValues nor ForAnyValue. */
    public record UnknownSetOperator(String qualifier) implements ParseOutcome {}

    /** A name that is no operator of the policy language. */
    public record UnknownOperator(String name) implements ParseOutcome {}

    /**
     * Parses an operator name, ignoring case as AWS does and noting whether it was spelled as
     * documented. {@code NullIfExists} is not an operator.
     */
    public static ParseOutcome parse(String name) {
        ParseOutcome exact = parseExact(name);
        if (!(exact instanceof UnknownOperator) && !(exact instanceof UnknownSetOperator)) {
            return exact;
        }
        for (SetOperator set : SetOperator.values()) {
            for (BaseOperator base : BaseOperator.values()) {
                for (boolean ifExists : new boolean[] {false, true}) {
                    if (ifExists && base == BaseOperator.NULL) {
                        continue;
                    }
                    ConditionOperator candidate = new ConditionOperator(set, base, ifExists);
                    if (candidate.jsonName().equalsIgnoreCase(name)) {
                        return new Parsed(candidate, false);
                    }
                }
            }
        }
        return exact;
    }

    private static ParseOutcome parseExact(String name) {
        SetOperator set = SetOperator.NONE;
        String rest = name;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String qualifier = name.substring(0, colon);
            set = null;
            for (SetOperator candidate : SetOperator.values()) {
                if (candidate != SetOperator.NONE && candidate.jsonName().equals(qualifier)) {
                    set = candidate;
                }
            }
            if (set == null) {
                return new UnknownSetOperator(qualifier);
            }
            rest = name.substring(colon + 1);
        }
        boolean ifExists = rest.endsWith(IF_EXISTS);
        String baseName = ifExists ? rest.substring(0, rest.length() - IF_EXISTS.length()) : rest;
        BaseOperator base = BaseOperator.fromJson(baseName);
        if (base == null || (ifExists && base == BaseOperator.NULL)) {
            return new UnknownOperator(name);
        }
        return new Parsed(new ConditionOperator(set, base, ifExists), true);
    }
}
