package dev.gavel.compile;

import dev.gavel.condition.BaseOperator;
import dev.gavel.condition.OperatorFamily;
import dev.gavel.condition.SetOperator;
import dev.gavel.match.ArnParts;
import dev.gavel.match.TextPattern;
import dev.gavel.match.Tokens;
import dev.gavel.policy.Condition;
import dev.gavel.policy.PolicyVersion;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * One condition of a statement, compiled: the key as an interned slot and the policy values read
 * once into what the operator compares (patterns, numbers, instants, address ranges). Holding
 * or not follows the IAM documentation:
 *
 * <ul>
 *   <li>A key the request does not carry (or a multivalued key with no value): {@code …IfExists}
 *       and {@code ForAllValues} hold; otherwise only a negated operator without a set operator.
 *   <li>Without a set operator a multivalued key never holds; a single value passes when a
 *       positive operator matches some policy value, or a negated one matches none.
 *   <li>{@code ForAnyValue}: some request value passes; {@code ForAllValues}: every one does.
 *   <li>A value that cannot be read as the operator's type matches nothing; so does a policy
 *       value whose variable has no value.
 * </ul>
 */
abstract class ConditionTest {

    private final int slot;
    private final String key;
    private final BaseOperator operator;
    private final SetOperator set;
    private final boolean ifExists;

    ConditionTest(Condition condition, Symbols symbols) {
        this.slot = symbols.key(condition.key());
        this.key = condition.key();
        this.operator = condition.operator().base();
        this.set = condition.operator().setOperator();
        this.ifExists = condition.operator().ifExists();
    }

    static ConditionTest compile(Condition condition, PolicyVersion version, Symbols symbols) {
        BaseOperator operator = condition.operator().base();
        OperatorFamily family = operator.family();
        String[] values = condition.values().stream().map(v -> v.text()).toArray(String[]::new);
        boolean variables = version.substitutesVariables() && family.acceptsVariables();
        return switch (family) {
            case STRING -> new StringTest(condition, symbols, values, variables);
            case ARN -> new ArnTest(condition, symbols, values, variables);
            case NUMERIC -> new NumericTest(condition, symbols, values);
            case DATE -> new DateTest(condition, symbols, values);
            case BOOL -> new BoolTest(condition, symbols, values);
            case BINARY -> new BinaryTest(condition, symbols, values);
            case IP_ADDRESS -> new IpTest(condition, symbols, values);
            case NULL -> new NullTest(condition, symbols, values);
        };
    }

    /** Whether the condition holds for the request; records its key as missing when explaining. */
    final boolean holds(EvalScratch scratch) {
        SlotValues layer = scratch.layer(slot);
        if (layer == null && scratch.missing != null) {
            scratch.missing.add(key);
        }
        int count = layer == null ? 0 : layer.count(slot);
        if (this instanceof NullTest nullTest) {
            return nullTest.holdsForPresence(count > 0);
        }
        if (count == 0) {
            return ifExists || set == SetOperator.FOR_ALL_VALUES || set == SetOperator.NONE && operator.negated();
        }
        switch (set) {
            case FOR_ALL_VALUES -> {
                for (int i = 0; i < count; i++) {
                    if (!passes(layer.value(slot, i), scratch)) {
                        return false;
                    }
                }
                return true;
            }
            case FOR_ANY_VALUE -> {
                for (int i = 0; i < count; i++) {
                    if (passes(layer.value(slot, i), scratch)) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                return !layer.multivalued(slot) && passes(layer.value(slot, 0), scratch);
            }
        }
    }

    private boolean passes(String value, EvalScratch scratch) {
        return operator.negated() != matchesAny(value, scratch);
    }

    /** Whether one request value matches any policy value, ignoring negation. */
    abstract boolean matchesAny(String value, EvalScratch scratch);

    BaseOperator operator() {
        return operator;
    }

    /** Reads an ordering for the Numeric and Date operators; the Not forms read as Equals. */
    static boolean ordered(BaseOperator operator, int order) {
        return switch (operator) {
            case NUMERIC_LESS_THAN, DATE_LESS_THAN -> order < 0;
            case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> order <= 0;
            case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> order > 0;
            case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> order >= 0;
            default -> order == 0;
        };
    }

    /** String operators: exact, ignoring case, or Like patterns. */
    static final class StringTest extends ConditionTest {
        private final String[] texts;
        private final Template[] templates;
        private final TextPattern[] patterns;
        private final boolean like;
        private final boolean ignoreCase;

        StringTest(Condition condition, Symbols symbols, String[] values, boolean variables) {
            super(condition, symbols);
            BaseOperator operator = condition.operator().base();
            like = operator == BaseOperator.STRING_LIKE || operator == BaseOperator.STRING_NOT_LIKE;
            ignoreCase = operator == BaseOperator.STRING_EQUALS_IGNORE_CASE
                    || operator == BaseOperator.STRING_NOT_EQUALS_IGNORE_CASE;
            texts = values;
            templates = new Template[values.length];
            patterns = new TextPattern[values.length];
            for (int i = 0; i < values.length; i++) {
                templates[i] = variables ? Template.compile(values[i], symbols) : null;
                patterns[i] = like && templates[i] == null ? TextPattern.compile(values[i]) : null;
            }
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            for (int i = 0; i < texts.length; i++) {
                Template template = templates[i];
                boolean match;
                if (template == null) {
                    match = like ? patterns[i].matches(value, false)
                            : ignoreCase ? value.equalsIgnoreCase(texts[i]) : value.equals(texts[i]);
                } else if (like) {
                    int length = template.tokens(scratch);
                    match = length >= 0 && Tokens.glob(scratch.tokens, 0, length, value, 0, value.length(), false);
                } else {
                    match = template.equalsText(value, ignoreCase, scratch);
                }
                if (match) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Arn operators: six parts on both sides, each matched exactly with wildcards. */
    static final class ArnTest extends ConditionTest {
        private final Template[] templates;
        /** Per value, its six part patterns, or null when it has not six parts. */
        private final TextPattern[][] parts;

        ArnTest(Condition condition, Symbols symbols, String[] values, boolean variables) {
            super(condition, symbols);
            templates = new Template[values.length];
            parts = new TextPattern[values.length][];
            for (int i = 0; i < values.length; i++) {
                templates[i] = variables ? Template.compile(values[i], symbols) : null;
                if (templates[i] == null) {
                    parts[i] = sixParts(values[i]);
                }
            }
        }

        private static TextPattern[] sixParts(String pattern) {
            TextPattern[] result = new TextPattern[ArnParts.PARTS];
            int start = 0;
            int part = 0;
            for (int i = 0; i < pattern.length() && part < ArnParts.PARTS - 1; i++) {
                if (pattern.charAt(i) == ':') {
                    result[part++] = TextPattern.compile(pattern.substring(start, i));
                    start = i + 1;
                }
            }
            if (part != ArnParts.PARTS - 1) {
                return null;
            }
            result[part] = TextPattern.compile(pattern.substring(start));
            return result;
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            ArnParts arn = scratch.value;
            if (!arn.parse(value)) {
                return false;
            }
            for (int i = 0; i < templates.length; i++) {
                if (templates[i] != null) {
                    int length = templates[i].tokens(scratch);
                    if (length >= 0 && Tokens.condition(scratch.tokens, length, arn)) {
                        return true;
                    }
                } else if (parts[i] != null && allParts(parts[i], arn)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean allParts(TextPattern[] parts, ArnParts arn) {
            String text = arn.text();
            for (int p = 0; p < ArnParts.PARTS; p++) {
                if (!parts[p].matches(text, arn.start(p), arn.end(p), false)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Numeric operators, compared exactly as decimals. */
    static final class NumericTest extends ConditionTest {
        private final BigDecimal[] big;
        private final long[] numbers;
        private final int[] scales;
        private final boolean[] fast;

        NumericTest(Condition condition, Symbols symbols, String[] values) {
            super(condition, symbols);
            big = new BigDecimal[values.length];
            numbers = new long[values.length];
            scales = new int[values.length];
            fast = new boolean[values.length];
            EvalScratch reader = new EvalScratch();
            for (int i = 0; i < values.length; i++) {
                big[i] = Values.bigNumber(values[i]);
                fast[i] = big[i] != null && Values.number(values[i], reader) == Values.FAST;
                numbers[i] = reader.number;
                scales[i] = reader.scale;
            }
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            int read = Values.number(value, scratch);
            if (read == Values.INVALID) {
                return false;
            }
            BigDecimal requestBig = null;
            for (int i = 0; i < big.length; i++) {
                if (big[i] == null) {
                    continue;
                }
                int order = read == Values.FAST && fast[i]
                        ? Values.compare(scratch.number, scratch.scale, numbers[i], scales[i]) : Integer.MIN_VALUE;
                if (order == Integer.MIN_VALUE) {
                    if (requestBig == null) {
                        requestBig = Values.bigNumber(value);
                    }
                    order = requestBig.compareTo(big[i]);
                }
                if (ordered(operator(), order)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Date operators, compared as instants. */
    static final class DateTest extends ConditionTest {
        private final long[] seconds;
        private final int[] nanos;
        private final boolean[] valid;

        DateTest(Condition condition, Symbols symbols, String[] values) {
            super(condition, symbols);
            seconds = new long[values.length];
            nanos = new int[values.length];
            valid = new boolean[values.length];
            for (int i = 0; i < values.length; i++) {
                Instant instant = Values.slowDate(values[i]);
                valid[i] = instant != null;
                if (instant != null) {
                    seconds[i] = instant.getEpochSecond();
                    nanos[i] = instant.getNano();
                }
            }
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            if (!Values.date(value, scratch)) {
                return false;
            }
            for (int i = 0; i < valid.length; i++) {
                if (!valid[i]) {
                    continue;
                }
                int order = Long.compare(scratch.seconds, seconds[i]);
                if (order == 0) {
                    order = Integer.compare(scratch.nanos, nanos[i]);
                }
                if (ordered(operator(), order)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Bool: true or false in any case, on both sides. */
    static final class BoolTest extends ConditionTest {
        private final String[] values;

        BoolTest(Condition condition, Symbols symbols, String[] values) {
            super(condition, symbols);
            this.values = values;
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            if (!isBoolean(value)) {
                return false;
            }
            for (String policy : values) {
                if (isBoolean(policy) && value.equalsIgnoreCase(policy)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isBoolean(String text) {
            return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
        }
    }

    /** BinaryEquals: base64 on both sides, compared as bytes. */
    static final class BinaryTest extends ConditionTest {
        private final byte[][] values;

        BinaryTest(Condition condition, Symbols symbols, String[] texts) {
            super(condition, symbols);
            values = new byte[texts.length][];
            for (int i = 0; i < texts.length; i++) {
                values[i] = decode(texts[i]);
            }
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            byte[] request = decode(value);
            if (request == null) {
                return false;
            }
            for (byte[] policy : values) {
                if (policy != null && Arrays.equals(policy, request)) {
                    return true;
                }
            }
            return false;
        }

        private static byte[] decode(String text) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** IpAddress: the request address inside a policy range of the same family. */
    static final class IpTest extends ConditionTest {
        private final int[] widths;
        private final int[] prefixes;
        private final long[] highs;
        private final long[] lows;

        IpTest(Condition condition, Symbols symbols, String[] values) {
            super(condition, symbols);
            widths = new int[values.length];
            prefixes = new int[values.length];
            highs = new long[values.length];
            lows = new long[values.length];
            EvalScratch reader = new EvalScratch();
            for (int i = 0; i < values.length; i++) {
                range(values[i], i, reader);
            }
        }

        /** Reads a CIDR block or a bare address; an unreadable one gets width 0 and matches nothing. */
        private void range(String text, int i, EvalScratch reader) {
            String base = text;
            int prefix = -1;
            int slash = text.indexOf('/');
            if (slash >= 0) {
                base = text.substring(0, slash);
                String bits = text.substring(slash + 1);
                if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
                    return;
                }
                prefix = Integer.parseInt(bits);
            }
            if (!Values.address(base, reader)) {
                return;
            }
            int bitWidth = reader.ipWidth * 8;
            if (prefix < 0) {
                prefix = bitWidth;
            }
            if (prefix > bitWidth) {
                return;
            }
            widths[i] = reader.ipWidth;
            prefixes[i] = prefix;
            highs[i] = reader.ipHigh;
            lows[i] = reader.ipLow;
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            if (!Values.address(value, scratch)) {
                return false;
            }
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] == scratch.ipWidth && within(i, scratch)) {
                    return true;
                }
            }
            return false;
        }

        private boolean within(int i, EvalScratch scratch) {
            int prefix = prefixes[i];
            if (widths[i] == 4) {
                long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
                return (scratch.ipLow & mask) == (lows[i] & mask);
            }
            long highMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
            long lowMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
            return (scratch.ipHigh & highMask) == (highs[i] & highMask) && (scratch.ipLow & lowMask) == (lows[i] & lowMask);
        }
    }

    /** Null: whether the key is absent ("true") or present ("false"). */
    static final class NullTest extends ConditionTest {
        private final String[] values;

        NullTest(Condition condition, Symbols symbols, String[] values) {
            super(condition, symbols);
            this.values = values;
        }

        boolean holdsForPresence(boolean present) {
            for (String value : values) {
                if (value.equalsIgnoreCase("true") && !present || value.equalsIgnoreCase("false") && present) {
                    return true;
                }
            }
            return false;
        }

        @Override
        boolean matchesAny(String value, EvalScratch scratch) {
            throw new IllegalStateException("Null is decided by presence");
        }
    }
}
