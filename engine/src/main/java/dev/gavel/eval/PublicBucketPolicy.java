package dev.gavel.eval;

import dev.gavel.condition.BaseOperator;
import dev.gavel.condition.SetOperator;
import dev.gavel.policy.Condition;
import dev.gavel.policy.ConditionValue;
import dev.gavel.policy.Effect;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PrincipalElement;
import dev.gavel.policy.PrincipalId;
import dev.gavel.policy.PrincipalKind;
import dev.gavel.policy.Statement;
import java.util.Locale;
import java.util.Set;

/**
 * Whether S3 deems a bucket policy public, as the S3 page "Blocking public access to your Amazon
 * S3 storage" defines it ("The meaning of 'public'"). S3 starts from public: a policy is
 * non-public only when each of its Allow statements grants to fixed values, values with no
 * wildcard and no policy variable, of a principal or of one of the listed condition keys.
 *
 * <p>Choices where the page is silent, each with a case in {@code corpus/cases}:
 * <ul>
 *   <li>A condition pins a key only with a positive operator (StringEquals, StringEqualsIgnoreCase,
 *       StringLike or ArnLike with no wildcard, ArnEquals, IpAddress), without {@code IfExists}
 *       and without {@code ForAllValues}: each of those holds for a request that lacks the key.
 *   <li>A federated principal (such as {@code graph.facebook.com}) is public, as the page's own
 *       example says; account, user, role, service and canonical-user principals are fixed.
 * </ul>
 */
public final class PublicBucketPolicy {

    /** The condition keys whose fixed values make a statement non-public, in lower case. */
    private static final Set<String> FIXING_KEYS = Set.of("aws:sourceip", "aws:sourcearn", "aws:sourcevpc",
            "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount", "aws:userid", "aws:principalorgid",
            "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:dataaccesspointarn", "s3:dataaccesspointaccount");
    private static final Set<BaseOperator> POSITIVE = Set.of(BaseOperator.STRING_EQUALS,
            BaseOperator.STRING_EQUALS_IGNORE_CASE, BaseOperator.STRING_LIKE, BaseOperator.ARN_EQUALS,
            BaseOperator.ARN_LIKE, BaseOperator.IP_ADDRESS);

    private PublicBucketPolicy() {}

    /** Whether any Allow statement of the policy grants to values that are not fixed. */
    public static boolean isPublic(Policy policy) {
        for (Statement statement : policy.statements()) {
            if (statement.effect() == Effect.ALLOW && !fixedPrincipal(statement.principal())
                    && statement.conditions().stream().noneMatch(PublicBucketPolicy::pinsAKey)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fixedPrincipal(PrincipalElement principal) {
        if (principal == null || principal.negated() || principal.anyone()) {
            return false;
        }
        for (PrincipalId id : principal.ids()) {
            if (id.kind() == PrincipalKind.FEDERATED || !fixed(id.value())) {
                return false;
            }
        }
        return true;
    }

    /** Whether a condition holds only for requests whose key has one of its fixed values. */
    private static boolean pinsAKey(Condition condition) {
        String key = condition.key().toLowerCase(Locale.ROOT);
        if (!FIXING_KEYS.contains(key) || !POSITIVE.contains(condition.operator().base())
                || condition.operator().ifExists() || condition.operator().setOperator() == SetOperator.FOR_ALL_VALUES
                || condition.values().isEmpty()) {
            return false;
        }
        for (ConditionValue value : condition.values()) {
            String text = value.text();
            boolean accessPointName = key.equals("s3:dataaccesspointarn") && text.matches(
                    "arn:[a-z-]+:s3:[a-z0-9-]*:[0-9]{12}:accesspoint/\\*");
            if (!accessPointName && !fixed(text) || key.equals("aws:sourceip") && !narrowEnough(text)) {
                return false;
            }
        }
        return true;
    }

    /** A value with neither a wildcard nor a policy variable. */
    private static boolean fixed(String value) {
        return value.indexOf('*') < 0 && value.indexOf('?') < 0 && !value.contains("${");
    }

    /** A CIDR block at most as wide as /8 for IPv4 and /32 for IPv6; a bare address is one host. */
    private static boolean narrowEnough(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return true;
        }
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        return cidr.indexOf(':') >= 0 ? bits >= 32 : bits >= 8;
    }
}
