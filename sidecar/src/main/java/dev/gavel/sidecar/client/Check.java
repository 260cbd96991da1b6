package dev.gavel.sidecar.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One check to send: a principal (by ARN, or by access key id and session token), an action, a
 * resource, and request facts. Immutable; {@link #with} and {@link #withAll} return copies.
 *
 * <pre>{@code
 * Check check = Check.of("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
 *         "arn:aws:s3:::example-payments-data/orders/1.csv")
 *     .with("aws:SecureTransport", "true")
 *     .withAll("aws:TagKeys", List.of("team", "env"));
 * }</pre>
 *
 * @param principal a user's or role session's ARN, or an access key id
 * @param sessionToken the session token of temporary credentials; empty otherwise
 * @param byAccessKey whether {@code principal} is an access key id
 */
public record Check(String principal, String sessionToken, boolean byAccessKey, String action, String resource,
        List<Fact> context) {

    /** A request fact: one value, or a multivalued key's values (any number, none included). */
    public record Fact(String key, List<String> values, boolean multivalued) {
        public Fact {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
            if (!multivalued && values.size() != 1) {
                throw new IllegalArgumentException("a single-valued fact has exactly one value");
            }
        }
    }

    public Check {
        Objects.requireNonNull(principal, "principal");
        sessionToken = sessionToken == null ? "" : sessionToken;
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        context = List.copyOf(context);
    }

    /** A check of a principal named by its ARN. */
    public static Check of(String principalArn, String action, String resource) {
        return new Check(principalArn, "", false, action, resource, List.of());
    }

    /** A check of a principal named by its credentials; the session token is null for a user's own key. */
    public static Check withCredentials(String accessKeyId, String sessionToken, String action, String resource) {
        return new Check(accessKeyId, sessionToken, true, action, resource, List.of());
    }

    /** This check with one more single-valued fact. */
    public Check with(String key, String value) {
        return withFact(new Fact(key, List.of(value), false));
    }

    /** This check with one more multivalued fact, such as {@code aws:TagKeys}. */
    public Check withAll(String key, List<String> values) {
        return withFact(new Fact(key, values, true));
    }

    private Check withFact(Fact fact) {
        List<Fact> facts = new ArrayList<>(context);
        facts.add(fact);
        return new Check(principal, sessionToken, byAccessKey, action, resource, facts);
    }
}
