package dev.gavel.sidecar.binary;

import dev.gavel.Action;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.ContextKey;
import dev.gavel.Engine;
import dev.gavel.cli.RequestSample;
import dev.gavel.eval.Explanation;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.sidecar.protocol.CheckRequestDecoder;
import dev.gavel.sidecar.protocol.CheckResponseEncoder;
import dev.gavel.sidecar.protocol.CheckStatus;
import dev.gavel.sidecar.protocol.Decision;
import dev.gavel.sidecar.protocol.Effect;
import dev.gavel.sidecar.protocol.ErrorCode;
import dev.gavel.sidecar.protocol.ErrorEncoder;
import dev.gavel.sidecar.protocol.MessageHeaderDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import dev.gavel.sidecar.protocol.PolicyType;
import dev.gavel.sidecar.protocol.PrincipalKind;
import dev.gavel.sidecar.protocol.SampleRequestDecoder;
import dev.gavel.sidecar.protocol.SampleResponseEncoder;
import dev.gavel.sidecar.protocol.ValueKind;
import dev.gavel.sidecar.protocol.WelcomeEncoder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Answers request frames, one I/O thread's worth: decodes a frame with SBE flyweights in place,
 * decides each check, and encodes the answer in place into the connection's outbound buffer.
 *
 * <p>Once warm a check allocates nothing: strings, actions, context keys and principals are found
 * by their bytes in {@link ByteTable}s, the context is this thread's own {@link CheckContext},
 * and the engine's prepared check allocates nothing. A string met for the first time (a new
 * resource, say) costs its {@code String}, and a principal met for the first time a lookup in the
 * shared {@link PrincipalCache}. Explaining allocates, as the engine's explanations do.
 *
 * <p>A frame that cannot be decoded throws from the flyweights, which read only inside the frame;
 * it is answered MALFORMED_FRAME and its connection closed. Nothing a client sends can make a
 * check answer anything but its decision or a fail-closed {@code IMPLICIT_DENY}.
 */
final class RequestHandler {

    /** Longest text put in a detail or a statement field; var data holds at most 65,534 bytes. */
    private static final int MAX_TEXT_BYTES = 4096;
    private static final byte[] NO_BYTES = new byte[0];
    private static final Decision[] DECISIONS = {Decision.ALLOWED, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY};
    /** Strings longer than this are decoded each time rather than kept. */
    private static final int MAX_KEPT_STRING = 512;

    /** A context key, or why a name cannot be one. */
    private record KeyEntry(ContextKey key, String problem) {}

    /**
     * A check's request facts, decoded once: keys and their values (a string, or a multivalued
     * key's list), or why they cannot be used.
     */
    private record Facts(ContextKey[] keys, Object[] values, CheckStatus status, String detail) {}

    /** An action, or why a name cannot be one. */
    private record ActionEntry(Action action, String problem) {}

    private final Engine engine;
    private final PrincipalCache principals;
    private final BinaryLimits limits;
    private final ServerStats stats;
    private final String serverVersion;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CheckRequestDecoder checkRequest = new CheckRequestDecoder();
    private final CheckResponseEncoder checkResponse = new CheckResponseEncoder();
    private final SampleRequestDecoder sampleRequest = new SampleRequestDecoder();
    private final SampleResponseEncoder sampleResponse = new SampleResponseEncoder();
    private final ErrorEncoder error = new ErrorEncoder();
    private final WelcomeEncoder welcome = new WelcomeEncoder();

    private final UnsafeBuffer text = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer principalBytes = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer tokenBytes = new UnsafeBuffer(0, 0);
    private final ByteTable<String> strings = new ByteTable<>(8192, MAX_KEPT_STRING);
    private final ByteTable<ActionEntry> actions = new ByteTable<>(2048, MAX_KEPT_STRING);
    private final ByteTable<KeyEntry> keys = new ByteTable<>(512, MAX_KEPT_STRING);
    private final ByteTable<PrincipalCache.Resolution> prepared = new ByteTable<>(4096, 8192);
    private final CheckContext context;
    private final UnsafeBuffer factsBytes = new UnsafeBuffer(0, 0);
    private final ByteTable<Facts> factsSeen = new ByteTable<>(1024, 2048);

    private long checksDecided;

    /** Why the check being decoded cannot be decided, or null. */
    private CheckStatus status;
    private String detail;

    RequestHandler(Engine engine, PrincipalCache principals, BinaryLimits limits, ServerStats stats,
            String serverVersion) {
        this.engine = engine;
        this.principals = principals;
        this.limits = limits;
        this.stats = stats;
        this.serverVersion = serverVersion;
        this.context = engine.newContext();
    }

    /** Checks this handler has decided. */
    long checks() {
        return checksDecided;
    }

    /** Encodes the Welcome frame that opens every connection. */
    void welcome(Connection connection, long nowNanos) {
        MutableDirectBuffer out = connection.out();
        int start = connection.outEnd;
        welcome.wrapAndApplyHeader(out, start, headerEncoder)
                .protocolVersion(WelcomeEncoder.SCHEMA_VERSION)
                .snapshotVersion(engine.version())
                .maxFrameBytes(limits.maxFrameBytes())
                .maxBatch(limits.maxBatch())
                .maxInFlight(limits.maxInFlight())
                .maxAnswerBytes(limits.maxAnswerBytes())
                .serverVersion(serverVersion);
        finish(connection, start, welcome.limit(), nowNanos);
    }

    /**
     * Answers one frame (exactly {@code frame}'s bytes). Returns false when the connection must
     * close once its answers are sent.
     */
    boolean handle(UnsafeBuffer frame, Connection connection, long nowNanos) {
        stats.requests.increment();
        int start = connection.outEnd;
        MessageHeaderDecoder header = headerDecoder.wrap(frame, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            return fail(connection, 0, ErrorCode.UNSUPPORTED_PROTOCOL, "schema " + header.schemaId() + " is not "
                    + "Gavel's protocol (schema " + MessageHeaderDecoder.SCHEMA_ID + ")", nowNanos);
        }
        try {
            return switch (header.templateId()) {
                case CheckRequestDecoder.TEMPLATE_ID -> check(frame, connection, nowNanos);
                case SampleRequestDecoder.TEMPLATE_ID -> sample(frame, connection, nowNanos);
                default -> fail(connection, 0, ErrorCode.UNKNOWN_MESSAGE, "message type " + header.templateId()
                        + " is not a request this server answers", nowNanos);
            };
        } catch (IndexOutOfBoundsException | IllegalStateException | IllegalArgumentException e) {
            connection.outEnd = start;
            return fail(connection, 0, ErrorCode.MALFORMED_FRAME, "the frame could not be decoded: its fields run "
                    + "past its end or hold impossible values", nowNanos);
        } catch (RuntimeException e) {
            connection.outEnd = start;
            return fail(connection, 0, ErrorCode.INTERNAL_ERROR, "the server failed to answer: " + e, nowNanos);
        }
    }

    private boolean check(UnsafeBuffer frame, Connection connection, long nowNanos) {
        MessageHeaderDecoder header = headerDecoder;
        if (header.blockLength() < CheckRequestDecoder.BLOCK_LENGTH) {
            throw new IllegalStateException("short block");
        }
        CheckRequestDecoder request = checkRequest.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH,
                header.blockLength(), header.version());
        long requestId = request.requestId();
        boolean explain = request.flags().explain();
        if (connection.unsent >= limits.maxInFlight()) {
            return refuse(connection, requestId, ErrorCode.BUSY, "this connection has " + limits.maxInFlight()
                    + " answers unread; read them before sending more", nowNanos);
        }
        CheckRequestDecoder.ChecksDecoder checks = request.checks();
        int count = checks.count();
        if (count > limits.maxBatch()) {
            return refuse(connection, requestId, ErrorCode.BATCH_TOO_LARGE, count + " checks in one request; at most "
                    + limits.maxBatch(), nowNanos);
        }
        if (checks.actingBlockLength() < CheckRequestDecoder.ChecksDecoder.sbeBlockLength()) {
            throw new IllegalStateException("short group block");
        }
        MutableDirectBuffer out = connection.out();
        int start = connection.outEnd;
        CheckResponseEncoder response = checkResponse.wrapAndApplyHeader(out, start, headerEncoder).requestId(requestId);
        CheckResponseEncoder.AnswersEncoder answers = response.answersCount(count);
        for (int i = 0; i < count; i++) {
            decide(checks.next(), answers.next(), explain);
            if (response.limit() - start > limits.maxAnswerBytes()) {
                connection.outEnd = start;
                return refuse(connection, requestId, ErrorCode.ANSWER_TOO_LARGE, "the answer would be longer than "
                        + limits.maxAnswerBytes() + " bytes; ask for fewer checks at once, or without explanations",
                        nowNanos);
            }
        }
        stats.checks.add(count);
        checksDecided += count;
        finish(connection, start, response.limit(), nowNanos);
        return true;
    }

    /** Decodes one check, decides it, and encodes its answer. */
    private void decide(CheckRequestDecoder.ChecksDecoder check, CheckResponseEncoder.AnswersEncoder answer,
            boolean explain) {
        status = null;
        detail = null;
        short kind = check.principalKindRaw();
        fillContext(checkRequest, check);
        check.wrapPrincipal(principalBytes);
        check.wrapSessionToken(tokenBytes);
        PrincipalCache.Resolution principal = principal(kind);
        check.wrapAction(text);
        Action action = action();
        check.wrapResource(text);
        String resource = string("resource");

        if (status == null && principal.handle() == null) {
            invalid(principal.status(), principal.detail());
        }
        if (status != null) {
            stats.refusedCheck();
            answer.snapshotVersion(engine.version()).decision(Decision.IMPLICIT_DENY).status(status);
            answer.flags().clear();
            answer.statementsCount(0);
            byte[] bytes = Utf8.encodeAtMost(detail, MAX_TEXT_BYTES);
            answer.putDetail(bytes, 0, bytes.length);
            return;
        }
        Answer decided = explain ? explain(principal, action, resource) : principal.handle().check(action, resource,
                context);
        answer.snapshotVersion(decided.version()).decision(DECISIONS[decided.decision().ordinal()])
                .status(CheckStatus.OK);
        answer.flags().clear().failedClosed(decided.failed());
        stats.decided(decided.decision());
        if (decided.failed()) {
            stats.failedClosed.increment();
        }
        Explanation explanation = decided.explanation();
        if (explanation == null) {
            answer.statementsCount(0);
        } else {
            List<MatchedStatement> matched = explanation.statements();
            CheckResponseEncoder.AnswersEncoder.StatementsEncoder statements = answer.statementsCount(matched.size());
            for (MatchedStatement statement : matched) {
                byte[] policy = Utf8.encodeAtMost(statement.policy(), MAX_TEXT_BYTES);
                byte[] label = Utf8.encodeAtMost(statement.statement(), MAX_TEXT_BYTES);
                statements.next().policyType(PolicyType.get((short) statement.policyType().ordinal()))
                        .effect(statement.effect() == dev.gavel.policy.Effect.DENY ? Effect.DENY : Effect.ALLOW)
                        .level((byte) Math.max(-1, Math.min(statement.level(), Byte.MAX_VALUE)))
                        .line(Math.max(0, statement.location().line()))
                        .column(Math.max(0, statement.location().column()))
                        .putPolicy(policy, 0, policy.length)
                        .putStatement(label, 0, label.length);
            }
        }
        answer.putDetail(NO_BYTES, 0, 0);
    }

    private Answer explain(PrincipalCache.Resolution principal, Action action, String resource) {
        try {
            return principal.handle().explain(action, resource, context);
        } catch (RuntimeException e) {
            // Explaining is not fail-closed by itself: a failure is the fail-closed deny of a check.
            return principal.handle().check(action, resource, context);
        }
    }

    /**
     * Fills this thread's context with the check's request facts. The facts of a check are
     * found by the bytes of its whole context group, as decoded the first time: one lookup
     * instead of one per key and per value, and most of a workload's checks carry one of a few
     * sets of facts. A new set is decoded entry by entry and kept.
     */
    private void fillContext(CheckRequestDecoder request, CheckRequestDecoder.ChecksDecoder check) {
        int start = request.limit();
        CheckRequestDecoder.ChecksDecoder.ContextDecoder entries = check.context();
        int count = entries.count();
        if (count > 0 && entries.actingBlockLength() < CheckRequestDecoder.ChecksDecoder.ContextDecoder.sbeBlockLength()) {
            throw new IllegalStateException("short group block");
        }
        for (int i = 0; i < count; i++) {
            CheckRequestDecoder.ChecksDecoder.ContextDecoder.ValuesDecoder valuesDecoder = entries.next().values();
            for (int v = valuesDecoder.count(); v > 0; v--) {
                valuesDecoder.next().skipValue();
            }
            entries.skipKey();
        }
        factsBytes.wrap(request.buffer(), start, request.limit() - start);
        int hash = ByteTable.hash(3, factsBytes, null);
        Facts facts = factsSeen.get(hash, factsBytes, null);
        if (facts == null) {
            int end = request.limit();
            request.limit(start);
            facts = decodeFacts(check.context());
            request.limit(end);
            factsSeen.put(hash, factsBytes, null, facts);
        }
        context.clear();
        if (facts.status() != null) {
            invalid(facts.status(), facts.detail());
            return;
        }
        ContextKey[] keys = facts.keys();
        Object[] factValues = facts.values();
        for (int i = 0; i < keys.length; i++) {
            if (factValues[i] instanceof String single) {
                context.put(keys[i], single);
            } else {
                @SuppressWarnings("unchecked")
                List<String> multi = (List<String>) factValues[i];
                context.putAll(keys[i], multi);
            }
        }
    }

    /** Decodes a context group entry by entry, into the facts to fill contexts with, or why it cannot be. */
    private Facts decodeFacts(CheckRequestDecoder.ChecksDecoder.ContextDecoder entries) {
        CheckStatus outer = status;
        String outerDetail = detail;
        status = null;
        detail = null;
        int count = entries.count();
        ContextKey[] keys = new ContextKey[count];
        Object[] factValues = new Object[count];
        for (int i = 0; i < count; i++) {
            entries.next();
            short valueKind = entries.valueKindRaw();
            CheckRequestDecoder.ChecksDecoder.ContextDecoder.ValuesDecoder valuesDecoder = entries.values();
            int valueCount = valuesDecoder.count();
            String[] into = new String[valueCount];
            for (int v = 0; v < valueCount; v++) {
                valuesDecoder.next().wrapValue(text);
                into[v] = string("context value");
            }
            entries.wrapKey(text);
            KeyEntry key = key();
            if (status != null) {
                continue;
            }
            keys[i] = key.key();
            if (valueKind == ValueKind.SINGLE.value()) {
                if (valueCount != 1) {
                    invalid(CheckStatus.INVALID_CONTEXT, "context." + key.key().name() + ": a single-valued key needs "
                            + "exactly one value, not " + valueCount);
                } else {
                    factValues[i] = into[0];
                }
            } else if (valueKind == ValueKind.MULTI.value()) {
                factValues[i] = List.of(into);
            } else {
                invalid(CheckStatus.INVALID_CONTEXT, "context." + key.key().name() + ": unknown value kind " + valueKind);
            }
        }
        Facts facts = new Facts(keys, factValues, status, detail);
        status = outer;
        detail = outerDetail;
        return facts;
    }

    private PrincipalCache.Resolution principal(short kind) {
        int hash = ByteTable.hash(kind, principalBytes, tokenBytes);
        PrincipalCache.Resolution known = prepared.get(hash, principalBytes, tokenBytes);
        if (known != null && principals.current(known)) {
            return known;
        }
        PrincipalCache.Resolution resolved;
        String id = Utf8.decode(principalBytes);
        String token = Utf8.decode(tokenBytes);
        if (id == null || token == null) {
            resolved = new PrincipalCache.Resolution(null, CheckStatus.INVALID_REQUEST, "principal: not UTF-8",
                    Long.MIN_VALUE);
        } else if (id.isEmpty()) {
            resolved = new PrincipalCache.Resolution(null, CheckStatus.INVALID_REQUEST, "principal: missing",
                    Long.MIN_VALUE);
        } else if (kind == PrincipalKind.ARN.value()) {
            resolved = principals.resolve(false, id, "");
        } else if (kind == PrincipalKind.ACCESS_KEY.value()) {
            resolved = principals.resolve(true, id, token);
        } else {
            resolved = new PrincipalCache.Resolution(null, CheckStatus.INVALID_REQUEST, "principalKind: unknown kind "
                    + kind, Long.MIN_VALUE);
        }
        if (resolved.status() != CheckStatus.INVALID_REQUEST) {
            prepared.put(hash, principalBytes, tokenBytes, resolved);
        }
        return resolved;
    }

    private Action action() {
        int hash = ByteTable.hash(1, text, null);
        ActionEntry entry = actions.get(hash, text, null);
        if (entry == null) {
            String name = Utf8.decode(text);
            if (name == null) {
                invalid(CheckStatus.INVALID_REQUEST, "action: not UTF-8");
                return null;
            }
            try {
                entry = new ActionEntry(engine.action(name), null);
            } catch (IllegalArgumentException e) {
                entry = new ActionEntry(null, "action: " + e.getMessage());
            }
            actions.put(hash, text, null, entry);
        }
        if (entry.action() == null) {
            invalid(CheckStatus.INVALID_ACTION, entry.problem());
        }
        return entry.action();
    }

    private KeyEntry key() {
        int hash = ByteTable.hash(2, text, null);
        KeyEntry entry = keys.get(hash, text, null);
        if (entry == null) {
            String name = Utf8.decode(text);
            if (name == null) {
                invalid(CheckStatus.INVALID_REQUEST, "context key: not UTF-8");
                return null;
            }
            try {
                entry = new KeyEntry(engine.contextKey(name), null);
            } catch (IllegalArgumentException e) {
                entry = new KeyEntry(null, "context." + name + ": " + e.getMessage());
            }
            keys.put(hash, text, null, entry);
        }
        if (entry.key() == null) {
            invalid(CheckStatus.INVALID_CONTEXT, entry.problem());
        }
        return entry;
    }

    /** The string in {@link #text}; marks the check invalid (and returns "") when it is not UTF-8. */
    private String string(String field) {
        int hash = ByteTable.hash(0, text, null);
        String known = strings.get(hash, text, null);
        if (known != null) {
            return known;
        }
        String decoded = Utf8.decode(text);
        if (decoded == null) {
            invalid(CheckStatus.INVALID_REQUEST, field + ": not UTF-8");
            return "";
        }
        strings.put(hash, text, null, decoded);
        return decoded;
    }

    private void invalid(CheckStatus why, String problem) {
        if (status == null) {
            status = why;
            detail = problem;
        }
    }

    private boolean sample(UnsafeBuffer frame, Connection connection, long nowNanos) {
        MessageHeaderDecoder header = headerDecoder;
        if (header.blockLength() < SampleRequestDecoder.BLOCK_LENGTH) {
            throw new IllegalStateException("short block");
        }
        SampleRequestDecoder request = sampleRequest.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH,
                header.blockLength(), header.version());
        long requestId = request.requestId();
        long count = request.count();
        if (count > limits.maxBatch()) {
            return refuse(connection, requestId, ErrorCode.BATCH_TOO_LARGE, "a sample of " + count + " requests; at most "
                    + limits.maxBatch(), nowNanos);
        }
        long version = engine.version();
        List<RequestSample.Request> drawn = RequestSample.draw(engine.directory(), (int) count, request.seed(),
                Clock.systemUTC());
        MutableDirectBuffer out = connection.out();
        int start = connection.outEnd;
        SampleResponseEncoder response = sampleResponse.wrapAndApplyHeader(out, start, headerEncoder)
                .requestId(requestId).snapshotVersion(version);
        SampleResponseEncoder.ChecksEncoder checks = response.checksCount(drawn.size());
        for (RequestSample.Request sampled : drawn) {
            checks.next().principalKind(PrincipalKind.ARN);
            SampleResponseEncoder.ChecksEncoder.ContextEncoder entries = checks.contextCount(sampled.context().size());
            for (Map.Entry<String, String> fact : sampled.context().entrySet()) {
                entries.next().valueKind(ValueKind.SINGLE).valuesCount(1).next().value(fact.getValue());
                entries.key(fact.getKey());
            }
            checks.principal(sampled.principal()).sessionToken("").action(sampled.action())
                    .resource(sampled.resource());
        }
        if (response.limit() - start > limits.maxAnswerBytes()) {
            connection.outEnd = start;
            return refuse(connection, requestId, ErrorCode.ANSWER_TOO_LARGE, "the sample would be longer than "
                    + limits.maxAnswerBytes() + " bytes; ask for fewer requests", nowNanos);
        }
        finish(connection, start, response.limit(), nowNanos);
        return true;
    }

    /** Refuses one request; the connection stays open. */
    private boolean refuse(Connection connection, long requestId, ErrorCode code, String message, long nowNanos) {
        encodeError(connection, requestId, code, message, nowNanos);
        return true;
    }

    /** Refuses the connection: the error is its last frame. */
    boolean fail(Connection connection, long requestId, ErrorCode code, String message, long nowNanos) {
        encodeError(connection, requestId, code, message, nowNanos);
        return false;
    }

    private void encodeError(Connection connection, long requestId, ErrorCode code, String message, long nowNanos) {
        stats.error(code);
        MutableDirectBuffer out = connection.out();
        int start = connection.outEnd;
        byte[] bytes = Utf8.encodeAtMost(message, MAX_TEXT_BYTES);
        error.wrapAndApplyHeader(out, start, headerEncoder).requestId(requestId).code(code)
                .putMessage(bytes, 0, bytes.length);
        finish(connection, start, error.limit(), nowNanos);
    }

    /** Writes the frame length into the frame's header and hands the frame to the connection. */
    private void finish(Connection connection, int start, int end, long nowNanos) {
        headerEncoder.wrap(connection.out(), start).frameLength(end - start);
        connection.appended(end, nowNanos);
    }
}
