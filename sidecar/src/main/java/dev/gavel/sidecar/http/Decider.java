package dev.gavel.sidecar.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.ContextKey;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.Explanation;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.RequestContext;
import dev.gavel.report.DecisionIds;
import dev.gavel.report.ReportJson;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Decides parsed requests on the engine and writes their answers: the prepared path (a cached
 * principal handle, an interned action, the thread's reused {@link CheckContext}) unless the
 * request asks for an explanation. Every decision is counted and timed in {@link Metrics} and
 * offered to the {@link DecisionLog} with its id.
 */
final class Decider {

    /** A decided request: the engine's answer and the decision's id. */
    record Decided(CheckRequest request, Answer answer, String decisionId) {}

    private final Engine engine;
    private final Principals principals;
    private final Handles handles;
    private final Metrics metrics;
    private final DecisionLog log;
    private final ThreadLocal<CheckContext> contexts;

    Decider(Engine engine, Metrics metrics, DecisionLog log) {
        this.engine = engine;
        this.principals = new Principals(engine);
        this.handles = new Handles(engine);
        this.metrics = metrics;
        this.log = log;
        this.contexts = ThreadLocal.withInitial(engine::newContext);
    }

    /** Decides one request. */
    Decided decide(CheckRequest request) throws ApiException {
        long start = System.nanoTime();
        return decide(request, principals.resolve(request), start);
    }

    /**
     * Decides a batch in order: each request's answer, or the error that request alone met (an
     * unknown principal), so that one bad request does not cost the others theirs.
     */
    Object[] decideAll(List<CheckRequest> requests) {
        Object[] results = new Object[requests.size()];
        CheckRequest previous = null;
        Principal principal = null;
        for (int i = 0; i < results.length; i++) {
            CheckRequest request = requests.get(i);
            long start = System.nanoTime();
            try {
                if (principal == null || !sameCaller(previous, request)) {
                    principal = null;
                    principal = principals.resolve(request);
                    previous = request;
                }
                results[i] = decide(request, principal, start);
            } catch (ApiException e) {
                metrics.recordError(e.code().name());
                results[i] = e;
            }
        }
        return results;
    }

    private Decided decide(CheckRequest request, Principal principal, long start) throws ApiException {
        Principal deciding = principal;
        Answer answer = check(deciding, request);
        if (answer.failed()) {
            // Gone from the directory, or expired since it was cached? Then say so.
            deciding = principals.refresh(request);
            answer = check(deciding, request);
        }
        metrics.recordAnswer(answer, System.nanoTime() - start);
        String id = DecisionIds.next();
        log.record(id, deciding.arn(), request.accessKeyId(), request.action(), request.resource(), answer.decision(),
                answer.version());
        return new Decided(request, answer, id);
    }

    private Answer check(Principal principal, CheckRequest request) throws ApiException {
        try {
            if (request.explain()) {
                RequestContext.Builder context = RequestContext.builder();
                for (CheckRequest.Fact fact : request.context()) {
                    if (fact.values() == null) {
                        context.put(fact.key(), fact.value());
                    } else {
                        context.putMultivalued(fact.key(), fact.values());
                    }
                }
                return engine.explain(principal, request.action(), request.resource(), context.build());
            }
            CheckContext context = contexts.get().clear();
            List<CheckRequest.Fact> facts = request.context();
            for (int i = 0; i < facts.size(); i++) {
                CheckRequest.Fact fact = facts.get(i);
                ContextKey key = key(request, fact.key());
                if (fact.values() == null) {
                    context.put(key, fact.value());
                } else {
                    context.putAll(key, fact.values());
                }
            }
            return principal.check(handles.action(request.action()), request.resource(), context);
        } catch (RequestException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, request.field(e.field()), e.getMessage());
        }
    }

    /** The context key of this name; a key that Gavel fills itself is refused. */
    private ContextKey key(CheckRequest request, String name) throws ApiException {
        try {
            return handles.key(name);
        } catch (IllegalArgumentException filled) {
            throw new ApiException(ErrorCode.INVALID_FIELD, request.field("context." + name), "is filled from the "
                    + "principal, the resource's account or the clock, and cannot be supplied");
        }
    }

    private static boolean sameCaller(CheckRequest a, CheckRequest b) {
        return Objects.equals(a.principal(), b.principal()) && Objects.equals(a.accessKeyId(), b.accessKeyId())
                && Objects.equals(a.sessionToken(), b.sessionToken());
    }

    /**
     * An answer without explanation as JSON text, written by hand: every value in it is one of
     * Gavel's own words, a number or a hexadecimal id, so nothing needs escaping, and the
     * answer costs one string instead of a JSON generator.
     */
    static String compact(Decided decided) {
        Answer answer = decided.answer();
        return "{\"decision\":\"" + answer.decision().jsonName() + "\",\"version\":" + answer.version()
                + ",\"decisionId\":\"" + decided.decisionId() + (answer.failed() ? "\",\"failedClosed\":true}" : "\"}");
    }

    /**
     * An answer as JSON: {@code {"decision", "version", "decisionId"}}, {@code "failedClosed": true}
     * when deciding failed, and with {@code explain} the reason, the decisive statements and the
     * missing context keys.
     */
    static void write(JsonGenerator json, Decided decided) throws IOException {
        Answer answer = decided.answer();
        if (!decided.request().explain()) {
            json.writeRawValue(compact(decided));
            return;
        }
        json.writeStartObject();
        json.writeStringField("decision", answer.decision().jsonName());
        json.writeNumberField("version", answer.version());
        json.writeStringField("decisionId", decided.decisionId());
        if (answer.failed()) {
            json.writeBooleanField("failedClosed", true);
        }
        Explanation explanation = answer.explanation();
        if (decided.request().explain() && explanation != null) {
            json.writeStringField("decidedBy", explanation.decidedBy() == null ? null
                    : explanation.decidedBy().cliName());
            json.writeStringField("reason", explanation.reason());
            json.writeArrayFieldStart("statements");
            for (MatchedStatement statement : explanation.statements()) {
                ReportJson.statement(json, statement);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("missingContextKeys");
            for (String key : explanation.missingContextKeys()) {
                json.writeString(key);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }
}
