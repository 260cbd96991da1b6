package dev.gavel.sts;

import dev.gavel.directory.Tag;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The parameter rules of the STS API, each refusal worded as AWS words it. */
final class StsRules {

    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]*");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]*");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    static final int MAX_TAGS = 50;
    static final int MAX_POLICY_ARNS = 10;

    /** The session tag rules of "Passing session tags in AWS STS" and the STS API's {@code Tag} type. */
    enum TagRule {
        /** At most 50 session tags. */
        COUNT,
        /** A key of 1 to 128 letters, digits, spaces and {@code _.:/=+-@}. */
        KEY,
        /** A value of at most 256 of the same characters. */
        VALUE,
        /** No key starts with {@code aws:}, in any case. */
        RESERVED_PREFIX,
        /** Keys are case-insensitive, so no two keys may differ only in case. */
        DUPLICATE_KEY,
        /** Every transitive tag key names one of the session tags. */
        TRANSITIVE_KEY
    }

    /**
     * A rule that a set of session tags breaks.
     *
     * @param subject what breaks it: the number of tags, the key, or the value
     * @param key the key of the tag concerned, or null for {@link TagRule#COUNT}
     */
    record TagViolation(TagRule rule, String subject, String key) {}

    private StsRules() {}

    static StsException constraint(String value, String field, String constraint) {
        return new StsException("ValidationError", "1 validation error detected: Value '" + value + "' at '" + field
                + "' failed to satisfy constraint: " + constraint);
    }

    static void roleArn(String roleArn) throws StsException {
        if (roleArn == null) {
            throw constraint("null", "roleArn", "Member must not be null");
        }
        if (roleArn.length() < 20 || !roleArn.matches("arn:aws[a-z-]*:iam::[0-9]{12}:role/.+")) {
            throw constraint(roleArn, "roleArn", "Member must be the ARN of an IAM role");
        }
    }

    /**
     * Whether a value is a valid role session name or source identity: 2 to 64 letters, digits and
     * {@code _+=,.@-}. Having no colon, such a value can never start with AWS's reserved {@code aws:}.
     */
    static boolean isName(String value) {
        return value != null && value.length() >= 2 && value.length() <= 64 && NAME.matcher(value).matches();
    }

    static void sessionName(String name, String field) throws StsException {
        if (name == null) {
            throw constraint("null", field, "Member must not be null");
        }
        if (name.length() < 2) {
            throw constraint(name, field, "Member must have length greater than or equal to 2");
        }
        if (name.length() > 64) {
            throw constraint(name, field, "Member must have length less than or equal to 64");
        }
        if (!NAME.matcher(name).matches()) {
            throw constraint(name, field, "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
    }

    /** The duration to grant: the request's, checked against the API's range and the role's limit. */
    static int duration(Integer requested, int fallback, int roleMax, boolean chained) throws StsException {
        if (requested == null) {
            return Math.min(fallback, chained ? 3_600 : roleMax);
        }
        if (requested < 900) {
            throw constraint(requested.toString(), "durationSeconds", "Member must have value greater than or equal to 900");
        }
        if (requested > 43_200) {
            throw constraint(requested.toString(), "durationSeconds", "Member must have value less than or equal to 43200");
        }
        if (chained && requested > 3_600) {
            throw new StsException("ValidationError",
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }
        if (requested > roleMax) {
            throw new StsException("ValidationError",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        return requested;
    }

    static void externalId(String externalId) throws StsException {
        if (externalId == null) {
            return;
        }
        if (externalId.length() < 2 || externalId.length() > 1_224) {
            throw constraint(externalId, "externalId", "Member must have length between 2 and 1224");
        }
        if (!EXTERNAL_ID.matcher(externalId).matches()) {
            throw constraint(externalId, "externalId", "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
        }
    }

    static void sourceIdentity(String sourceIdentity) throws StsException {
        if (sourceIdentity == null) {
            return;
        }
        // The pattern has no colon, so AWS's reserved "aws:" prefix cannot get through it.
        sessionName(sourceIdentity, "sourceIdentity");
    }

    /**
     * The first session tag rule that tags and transitive keys break, in the order STS checks them,
     * or null when they keep every rule. Every flow that passes session tags asks this; each words
     * the refusal its own way.
     */
    static TagViolation tagViolation(List<Tag> tags, List<String> transitiveTagKeys) {
        if (tags.size() > MAX_TAGS) {
            return new TagViolation(TagRule.COUNT, Integer.toString(tags.size()), null);
        }
        Set<String> keys = new HashSet<>();
        for (Tag tag : tags) {
            if (tag.key().isEmpty() || tag.key().length() > 128 || !TAG_KEY.matcher(tag.key()).matches()) {
                return new TagViolation(TagRule.KEY, tag.key(), tag.key());
            }
            if (tag.value().length() > 256 || !TAG_VALUE.matcher(tag.value()).matches()) {
                return new TagViolation(TagRule.VALUE, tag.value(), tag.key());
            }
            if (tag.key().toLowerCase(Locale.ROOT).startsWith("aws:")) {
                return new TagViolation(TagRule.RESERVED_PREFIX, tag.key(), tag.key());
            }
            if (!keys.add(tag.key().toLowerCase(Locale.ROOT))) {
                return new TagViolation(TagRule.DUPLICATE_KEY, tag.key(), tag.key());
            }
        }
        for (String key : transitiveTagKeys) {
            if (!keys.contains(key.toLowerCase(Locale.ROOT))) {
                return new TagViolation(TagRule.TRANSITIVE_KEY, key, key);
            }
        }
        return null;
    }

    /**
     * The session tags and transitive tag keys an identity provider passed in a SAML assertion or
     * an OIDC token. STS refuses a tag there that breaks a rule with {@code ValidationError} and
     * "Unable to validate tags", as it answered a SAML {@code PrincipalTag} value over 256
     * characters in practice; AWS documents no message. The reason after the colon is ours, so
     * that the identity provider's administrator can find the tag.
     */
    static void providerTags(List<Tag> tags, List<String> transitiveTagKeys) throws StsException {
        TagViolation violation = tagViolation(tags, transitiveTagKeys);
        if (violation == null) {
            return;
        }
        String reason = switch (violation.rule()) {
            case COUNT -> "the identity provider passed " + violation.subject()
                    + " session tags, more than the 50 allowed";
            case KEY -> "session tag key '" + violation.subject() + "' must have 1 to 128 characters, each a letter, "
                    + "a digit, a space or one of _.:/=+-@";
            case VALUE -> "the value of session tag " + violation.key() + " must have at most 256 characters, each a "
                    + "letter, a digit, a space or one of _.:/=+-@";
            case RESERVED_PREFIX -> "session tag key " + violation.key() + " starts with aws:, a prefix AWS reserves";
            case DUPLICATE_KEY -> "session tag key " + violation.key() + " is passed twice, as tag keys are case "
                    + "insensitive";
            case TRANSITIVE_KEY -> "transitive tag key " + violation.key() + " is not among the session tags";
        };
        throw new StsException("ValidationError", "Unable to validate tags: " + reason);
    }

    /** The {@code Tags} and {@code TransitiveTagKeys} parameters of {@code AssumeRole}. */
    static void tags(List<Tag> tags, List<String> transitiveTagKeys) throws StsException {
        TagViolation violation = tagViolation(tags, transitiveTagKeys);
        if (violation == null) {
            return;
        }
        throw switch (violation.rule()) {
            case COUNT -> constraint(violation.subject() + " tags", "tags",
                    "Member must have length less than or equal to 50");
            case KEY -> constraint(violation.subject(), "tags.member.key", "Member must have length between 1 and 128 "
                    + "and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
            case VALUE -> constraint(violation.subject(), "tags.member.value", "Member must have length less than or "
                    + "equal to 256 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
            case RESERVED_PREFIX -> new StsException("InvalidParameterValue", "Tag keys cannot start with the prefix aws:");
            case DUPLICATE_KEY -> new StsException("InvalidParameterValue",
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            case TRANSITIVE_KEY -> new StsException("InvalidParameterValue", "The specified transitive tag key "
                    + violation.subject() + " must be included in the requested tags.");
        };
    }
}
