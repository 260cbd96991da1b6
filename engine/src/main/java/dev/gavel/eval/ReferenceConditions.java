package dev.gavel.eval;

import dev.gavel.condition.BaseOperator;
import dev.gavel.condition.OperatorFamily;
import dev.gavel.condition.SetOperator;
import dev.gavel.policy.Condition;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.PolicyVersion;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The reference evaluator's condition logic, written to read like the IAM documentation.
 *
 * <ul>
 *   <li>A key the request does not carry: {@code …IfExists} holds; {@code ForAllValues} holds;
 *       {@code ForAnyValue} fails; otherwise a negated operator holds and a positive one fails.
 *   <li>Without a set operator, a positive operator holds when the request value matches any
 *       policy value; a negated one when it matches none. A multivalued key without a set
 *       operator never holds (the IAM documentation requires a set operator there).
 *   <li>{@code ForAnyValue}: some request value passes; {@code ForAllValues}: every request value
 *       passes (an empty set passes). For negated operators "passes" means "matches none".
 *   <li>A value that cannot be read as the operator's type matches nothing.
 * </ul>
 */
final class ReferenceConditions {

    private ReferenceConditions() {}

    static boolean holds(Condition condition, PolicyVersion version, RequestContext context, Set<String> missing) {
        BaseOperator operator = condition.operator().base();
        RequestContext.Entry entry = context.get(condition.key());
        boolean absent = entry == null || entry.values().isEmpty();
        if (entry == null) {
            missing.add(condition.key());
        }
        if (operator == BaseOperator.NULL) {
            for (ConditionValue value : condition.values()) {
                String text = value.text();
                if (text.equalsIgnoreCase("true") && absent || text.equalsIgnoreCase("false") && !absent) {
                    return true;
                }
            }
            return false;
        }
        Object[] policyValues = policyValues(condition, version, context);
        SetOperator set = condition.operator().setOperator();
        if (absent) {
            if (condition.operator().ifExists() || set == SetOperator.FOR_ALL_VALUES) {
                return true;
            }
            return set == SetOperator.NONE && operator.negated();
        }
        List<String> requestValues = entry.values();
        boolean result;
        switch (set) {
            case FOR_ALL_VALUES -> {
                result = true;
                for (String requestValue : requestValues) {
                    result &= passes(operator, requestValue, policyValues);
                }
            }
            case FOR_ANY_VALUE -> {
                result = false;
                for (String requestValue : requestValues) {
                    result |= passes(operator, requestValue, policyValues);
                }
            }
            default -> {
                // A multivalued key needs a set operator; without one the test never holds.
                result = !entry.multivalued() && passes(operator, requestValues.get(0), policyValues);
            }
        }
        return result;
    }

    /** For one request value: a positive operator matches some value, a negated one none. */
    private static boolean passes(BaseOperator operator, String requestValue, Object[] policyValues) {
        return operator.negated() != matchesAny(operator, requestValue, policyValues);
    }

    private static boolean matchesAny(BaseOperator operator, String requestValue, Object[] policyValues) {
        for (Object policyValue : policyValues) {
            if (policyValue != null && matches(operator, requestValue, policyValue)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The policy values ready to compare: substituted strings, or wildcard patterns for the
     * Like and Arn operators. A value whose variable has no value (and no default) is null and
     * matches nothing, so a negated operator holds against it, as the IAM documentation says.
     */
    private static Object[] policyValues(Condition condition, PolicyVersion version, RequestContext context) {
        BaseOperator operator = condition.operator().base();
        OperatorFamily family = operator.family();
        boolean pattern = family == OperatorFamily.ARN
                || operator == BaseOperator.STRING_LIKE || operator == BaseOperator.STRING_NOT_LIKE;
        Object[] values = new Object[condition.values().size()];
        for (int i = 0; i < values.length; i++) {
            String text = condition.values().get(i).text();
            if (!family.acceptsVariables()) {
                values[i] = text;
            } else if (pattern) {
                values[i] = Variables.pattern(text, version, context);
            } else {
                values[i] = Variables.text(text, version, context);
            }
        }
        return values;
    }

    /** Whether one request value matches one policy value, ignoring negation. */
    private static boolean matches(BaseOperator operator, String request, Object policy) {
        switch (operator) {
            case STRING_EQUALS, STRING_NOT_EQUALS:
                return request.equals(policy);
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE:
                return request.equalsIgnoreCase((String) policy);
            case STRING_LIKE, STRING_NOT_LIKE:
                return Glob.matches((int[]) policy, request, false);
            case ARN_EQUALS, ARN_NOT_EQUALS, ARN_LIKE, ARN_NOT_LIKE:
                return Arns.conditionMatches((int[]) policy, request);
            case BOOL:
                return isBoolean(request) && isBoolean((String) policy) && request.equalsIgnoreCase((String) policy);
            case BINARY_EQUALS: {
                byte[] left = base64(request);
                byte[] right = base64((String) policy);
                return left != null && right != null && Arrays.equals(left, right);
            }
            case IP_ADDRESS, NOT_IP_ADDRESS:
                return Boolean.TRUE.equals(IpAddresses.contains((String) policy, request));
            default:
                break;
        }
        if (operator.family() == OperatorFamily.NUMERIC) {
            BigDecimal left = number(request);
            BigDecimal right = number((String) policy);
            return left != null && right != null && compare(operator, left.compareTo(right));
        }
        if (operator.family() == OperatorFamily.DATE) {
            Instant left = date(request);
            Instant right = date((String) policy);
            return left != null && right != null && compare(operator, left.compareTo(right));
        }
        throw new IllegalStateException("no comparison for " + operator);
    }

    /** Reads an ordering result for the Numeric and Date operators; the Not forms read as Equals. */
    private static boolean compare(BaseOperator operator, int order) {
        return switch (operator) {
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, DATE_EQUALS, DATE_NOT_EQUALS -> order == 0;
            case NUMERIC_LESS_THAN, DATE_LESS_THAN -> order < 0;
            case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> order <= 0;
            case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> order > 0;
            case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> order >= 0;
            default -> throw new IllegalStateException("not an ordering operator: " + operator);
        };
    }

    private static boolean isBoolean(String text) {
        return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
    }

    static BigDecimal number(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-' || c == '.' || c == '+')) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An ISO 8601 date or date-time (UTC when no offset is given), or epoch seconds. */
    static Instant date(String text) {
        BigDecimal epoch = number(text);
        if (epoch != null) {
            try {
                long seconds = epoch.longValueExact();
                return Instant.ofEpochSecond(seconds);
            } catch (ArithmeticException e) {
                BigDecimal whole = new BigDecimal(epoch.toBigInteger());
                long nanos = epoch.subtract(whole).movePointRight(9).longValue();
                try {
                    return Instant.ofEpochSecond(whole.longValueExact(), nanos);
                } catch (ArithmeticException | java.time.DateTimeException tooLarge) {
                    return null;
                }
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            // try the forms without an offset below
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // try a date alone
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
