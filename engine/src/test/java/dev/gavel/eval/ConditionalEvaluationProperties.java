package dev.gavel.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.compile.RandomRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Three-valued evaluation is exact: over random policy sets and requests ({@link RandomRequests})
 * with a random part of the context unknown, every assignment of the unknown keys (absent
 * included) is allowed exactly when the residual holds, explicitly denied exactly when the deny
 * residual holds, as the reference evaluator decides the request with those values; and a
 * definite verdict is the reference's answer for every assignment.
 */
class ConditionalEvaluationProperties {

    private static final int PER_SEED = 10;
    private static final int ASSIGNMENTS = 6;
    /** The keys the random policies read, and keys only their policy variables read. */
    private static final List<String> KEYS = List.of("aws:username", "aws:SourceIp", "aws:TagKeys", "s3:prefix",
            "aws:PrincipalTag/team", "aws:CurrentTime", "aws:MultiFactorAuthAge", "aws:SecureTransport",
            "aws:SourceArn", "aws:PrincipalOrgID", "aws:SourceVpce", "aws:PrincipalIsAWSService",
            "aws:SourceAccount", "s3:x-amz-content", "aws:PrincipalTag/missing", "aws:missing");

    private final ReferenceEvaluator reference = new ReferenceEvaluator();
    private final ConditionalEvaluator conditional = new ConditionalEvaluator();

    /** One sample with part of its context unknown. */
    private record Analysed(Request known, KeyKnowledge knowledge) {}

    @Property(tries = 1_000)
    void residualsAnswerAsTheReferenceDoesForEveryAssignment(@ForAll long seed) {
        Random random = new Random(seed);
        RandomRequests requests = new RandomRequests(seed);
        for (int i = 0; i < PER_SEED; i++) {
            RandomRequests.Sample sample = requests.next();
            Analysed analysed = withUnknownKeys(sample.request(), random);
            ConditionalEvaluation answer = conditional.evaluate(analysed.known(), sample.policies(),
                    analysed.knowledge());
            for (int j = 0; j < ASSIGNMENTS; j++) {
                RequestContext complete = assign(analysed, requests.next().request().context(), random);
                Request request = withContext(sample.request(), complete);
                Decision expected = reference.evaluate(request, sample.policies()).decision();
                Supplier<String> why = () -> "for " + request + " knowing " + analysed.knowledge() + ": "
                        + answer.verdict() + ", allowed when " + answer.allowedWhen() + ", explicitly denied when "
                        + answer.explicitDenyWhen() + "; policies " + sample.policies();
                assertThat(answer.allowedWhen().holds(complete)).as(why).isEqualTo(expected == Decision.ALLOWED);
                assertThat(answer.explicitDenyWhen().holds(complete)).as(why)
                        .isEqualTo(expected == Decision.EXPLICIT_DENY);
                switch (answer.verdict()) {
                    case ALLOWED, EXPLICIT_DENY -> assertThat(Verdict.of(expected)).as(why).isEqualTo(answer.verdict());
                    case IMPLICIT_DENY -> assertThat(expected).as(why).isNotEqualTo(Decision.ALLOWED);
                    case CONDITIONAL -> assertThat(answer.allowedWhen().isTrue() || answer.allowedWhen().isFalse())
                            .as(why).isFalse();
                }
            }
        }
    }

    /** The property above is not vacuous: its samples hold every kind of answer and both kinds of clause. */
    @Example
    void theSamplesHoldEveryKindOfAnswer() {
        Random random = new Random(7);
        RandomRequests requests = new RandomRequests(7);
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            RandomRequests.Sample sample = requests.next();
            Analysed analysed = withUnknownKeys(sample.request(), random);
            ConditionalEvaluation answer = conditional.evaluate(analysed.known(), sample.policies(),
                    analysed.knowledge());
            seen.merge(answer.verdict().jsonName(), 1, Integer::sum);
            if (answer.verdict() == Verdict.IMPLICIT_DENY && !answer.explicitDenyWhen().isFalse()) {
                seen.merge("implicitDeny, explicit when", 1, Integer::sum);
            }
            for (Clause clause : answer.allowedWhen().clauses()) {
                seen.merge(clause.getClass().getSimpleName(), 1, Integer::sum);
            }
            if (answer.allowedWhen() instanceof Residual.And and
                    && and.children().stream().anyMatch(Residual.Not.class::isInstance)) {
                seen.merge("allowed unless denied", 1, Integer::sum);
            }
        }
        assertThat(seen).containsKeys("allowed", "explicitDeny", "implicitDeny", "conditional",
                "implicitDeny, explicit when", "ConditionClause", "ResourceClause", "allowed unless denied");
    }

    @Property(tries = 500)
    void withEveryKeyKnownTheAnswerIsTheReferences(@ForAll long seed) {
        RandomRequests requests = new RandomRequests(seed);
        for (int i = 0; i < PER_SEED; i++) {
            RandomRequests.Sample sample = requests.next();
            Evaluation expected = reference.evaluate(sample.request(), sample.policies());
            ConditionalEvaluation answer = conditional.evaluate(sample.request(), sample.policies(),
                    KeyKnowledge.complete());
            assertThat(answer.verdict()).isEqualTo(Verdict.of(expected.decision()));
            assertThat(answer.explanation()).isEqualTo(expected.explanation());
        }
    }

    /**
     * Makes a random part of the generated keys unknown, in one of the ways a caller can: by name
     * (in any case), by pattern, or as every key not given; the request no longer gives them.
     */
    private static Analysed withUnknownKeys(Request request, Random random) {
        List<String> unknown = new ArrayList<>();
        for (String key : KEYS) {
            if (random.nextInt(3) == 0) {
                unknown.add(key);
            }
        }
        RequestContext.Builder known = request.context().toBuilder();
        unknown.forEach(known::remove);
        KeyKnowledge knowledge = switch (random.nextInt(3)) {
            case 0 -> KeyKnowledge.complete().withUnknown(unknown.stream()
                    .map(key -> random.nextBoolean() ? key.toUpperCase(Locale.ROOT) : key).toList());
            case 1 -> KeyKnowledge.complete().withUnknown(unknown.stream()
                    .map(key -> random.nextBoolean() ? key.substring(0, key.indexOf(':') + 2) + "*" : key).toList());
            default -> KeyKnowledge.unknownContext();
        };
        return new Analysed(withContext(request, known.build()), knowledge);
    }

    /** The known context with each unknown key valued as in {@code values}, else absent, or now and then as a known one. */
    private static RequestContext assign(Analysed analysed, RequestContext values, Random random) {
        RequestContext known = analysed.known().context();
        RequestContext.Builder complete = known.toBuilder();
        for (RequestContext.Entry entry : values.entries()) {
            if (analysed.knowledge().isUnknown(entry.key(), known)) {
                if (entry.multivalued()) {
                    complete.putMultivalued(entry.key(), entry.values());
                } else {
                    complete.put(entry.key(), entry.values().get(0));
                }
            }
        }
        // Now and then an unknown key takes a known key's value, so that a policy variable on the
        // one meets a condition on the other; and keys that only variables read get values.
        List<String> knownValues = new ArrayList<>(List.of("key.txt", "111122223333"));
        for (RequestContext.Entry entry : known.entries()) {
            knownValues.addAll(entry.values());
        }
        for (String key : KEYS) {
            if (analysed.knowledge().isUnknown(key, known) && random.nextInt(4) == 0) {
                complete.put(key, knownValues.get(random.nextInt(knownValues.size())));
            }
        }
        return complete.build();
    }

    private static Request withContext(Request request, RequestContext context) {
        return new Request(request.principal(), request.action(), request.resource(), request.resourceAccount(),
                context);
    }
}
