package dev.gavel.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.ReferenceEvaluator;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The compiled engine decides and explains exactly as the reference evaluator does, over random
 * policy sets and requests ({@link RandomRequests}): 5,000 seeds of {@value #DEFAULT_PER_SEED}
 * requests each, 100,000 per build. {@code mvn verify -Pdifferential} runs 3,000,000
 * ({@code -Dgavel.differential.perSeed=600}). A disagreement fails with the request as a case
 * line for corpus/cases, so that a failing seed becomes a case.
 */
class CompiledEqualsReferenceProperties {

    static final int DEFAULT_PER_SEED = 20;
    private static final int PER_SEED = Integer.getInteger("gavel.differential.perSeed", DEFAULT_PER_SEED);

    private final ReferenceEvaluator reference = new ReferenceEvaluator();
    private final PolicySetEvaluator compiled = new PolicySetEvaluator();

    @Property(tries = 5_000)
    void compiledDecisionsAndExplanationsEqualTheReference(@ForAll long seed) {
        RandomRequests requests = new RandomRequests(seed);
        for (int i = 0; i < PER_SEED; i++) {
            RandomRequests.Sample sample = requests.next();
            Evaluation expected = reference.evaluate(sample.request(), sample.policies());
            Evaluation explained = compiled.evaluate(sample.request(), sample.policies());
            Decision decided = compiled.decide(sample.request(), sample.policies());
            assertThat(explained).as(() -> "explanation differs for " + asCase(sample, expected)).isEqualTo(expected);
            assertThat(decided).as(() -> "fast path differs for " + asCase(sample, expected))
                    .isEqualTo(expected.decision());
        }
    }

    /** The sample as a case line, expecting the reference's answer. */
    static String asCase(RandomRequests.Sample sample, Evaluation expected) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            Request request = sample.request();
            PolicySet policies = sample.policies();
            json.writeStartObject();
            json.writeStringField("id", "differential");
            json.writeObjectFieldStart("request");
            json.writeStringField("principal", request.principal());
            json.writeStringField("action", request.action());
            json.writeStringField("resource", request.resource());
            if (request.resourceAccount() != null) {
                json.writeStringField("resourceAccount", request.resourceAccount());
            }
            json.writeObjectFieldStart("context");
            for (RequestContext.Entry entry : request.context().entries()) {
                if (entry.multivalued()) {
                    json.writeArrayFieldStart(entry.key());
                    for (String value : entry.values()) {
                        json.writeString(value);
                    }
                    json.writeEndArray();
                } else {
                    json.writeStringField(entry.key(), entry.values().get(0));
                }
            }
            json.writeEndObject();
            json.writeEndObject();
            writePolicies(json, "identityPolicies", policies.identityPolicies());
            writePolicy(json, "permissionBoundary", policies.permissionBoundary());
            if (!policies.sessionPolicies().isEmpty()) {
                writePolicy(json, "sessionPolicy", policies.sessionPolicies().get(0));
            }
            writePolicy(json, "resourcePolicy", policies.resourcePolicy());
            writePolicy(json, "endpointPolicy", policies.endpointPolicy());
            writeLevels(json, "scps", policies.scps());
            writeLevels(json, "rcps", policies.rcps());
            if (policies.restrictPublicBuckets()) {
                json.writeBooleanField("s3RestrictPublicBuckets", true);
            }
            json.writeStringField("expect", expected.decision().jsonName());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeLevels(JsonGenerator json, String name, List<List<Policy>> levels) throws IOException {
        if (levels.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(name);
        for (List<Policy> level : levels) {
            json.writeStartArray();
            for (Policy policy : level) {
                json.writeRawValue(PolicyWriter.write(policy));
            }
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private static void writePolicies(JsonGenerator json, String name, List<Policy> policies) throws IOException {
        if (policies.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(name);
        for (Policy policy : policies) {
            json.writeRawValue(PolicyWriter.write(policy));
        }
        json.writeEndArray();
    }

    private static void writePolicy(JsonGenerator json, String name, Policy policy) throws IOException {
        if (policy != null) {
            json.writeFieldName(name);
            json.writeRawValue(PolicyWriter.write(policy));
        }
    }
}
