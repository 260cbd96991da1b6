package dev.gavel.sidecar.client;

import dev.gavel.eval.Decision;
import dev.gavel.sidecar.protocol.CheckRequestEncoder;
import dev.gavel.sidecar.protocol.CheckResponseDecoder;
import dev.gavel.sidecar.protocol.ErrorDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import dev.gavel.sidecar.protocol.PrincipalKind;
import dev.gavel.sidecar.protocol.SampleRequestEncoder;
import dev.gavel.sidecar.protocol.SampleResponseDecoder;
import dev.gavel.sidecar.protocol.ValueKind;
import dev.gavel.sidecar.protocol.WelcomeDecoder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The client's side of the protocol's codecs: requests encoded into a buffer, answers decoded
 * into records. Not thread-safe: the client encodes under its write lock and decodes under its
 * read lock, each with its own codec.
 */
final class ClientCodec {

    private static final Decision[] DECISIONS = Decision.values();
    private static final CheckResult.Status[] STATUSES = CheckResult.Status.values();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CheckRequestEncoder checkRequest = new CheckRequestEncoder();
    private final SampleRequestEncoder sampleRequest = new SampleRequestEncoder();
    private final CheckResponseDecoder checkResponse = new CheckResponseDecoder();
    private final SampleResponseDecoder sampleResponse = new SampleResponseDecoder();
    private final ErrorDecoder error = new ErrorDecoder();
    private final WelcomeDecoder welcome = new WelcomeDecoder();
    /** The plain answers of the latest snapshot, shared: most answers allocate nothing. */
    private final CheckResult[] plain = new CheckResult[DECISIONS.length];

    /** Encodes a check request at offset 0; returns the frame's length. */
    int encodeChecks(MutableDirectBuffer buffer, long requestId, List<Check> checks, boolean explain) {
        CheckRequestEncoder request = checkRequest.wrapAndApplyHeader(buffer, 0, headerEncoder).requestId(requestId);
        request.flags().clear().explain(explain);
        CheckRequestEncoder.ChecksEncoder encoder = request.checksCount(checks.size());
        try {
            for (Check check : checks) {
                encoder.next().principalKind(check.byAccessKey() ? PrincipalKind.ACCESS_KEY : PrincipalKind.ARN);
                CheckRequestEncoder.ChecksEncoder.ContextEncoder facts = encoder.contextCount(check.context().size());
                for (Check.Fact fact : check.context()) {
                    facts.next().valueKind(fact.multivalued() ? ValueKind.MULTI : ValueKind.SINGLE);
                    CheckRequestEncoder.ChecksEncoder.ContextEncoder.ValuesEncoder values =
                            facts.valuesCount(fact.values().size());
                    for (String value : fact.values()) {
                        values.next().value(value);
                    }
                    facts.key(fact.key());
                }
                encoder.principal(check.principal()).sessionToken(check.sessionToken()).action(check.action())
                        .resource(check.resource());
            }
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("a string of the check, or a list of its values, is too long for the "
                    + "protocol (65,534 bytes, 65,535 values)", e);
        }
        return finish(buffer, request.limit());
    }

    /** Encodes a sample request at offset 0; returns the frame's length. */
    int encodeSample(MutableDirectBuffer buffer, long requestId, int count, long seed) {
        SampleRequestEncoder request = sampleRequest.wrapAndApplyHeader(buffer, 0, headerEncoder).requestId(requestId)
                .count(count).seed(seed);
        return finish(buffer, request.limit());
    }

    private int finish(MutableDirectBuffer buffer, int end) {
        headerEncoder.wrap(buffer, 0).frameLength(end);
        return end;
    }

    /** The header of the frame at {@code offset}. */
    MessageHeaderDecoder header(DirectBuffer buffer, int offset) {
        return headerDecoder.wrap(buffer, offset);
    }

    ServerInfo welcome(DirectBuffer frame) {
        MessageHeaderDecoder header = headerDecoder.wrap(frame, 0);
        WelcomeDecoder decoder = welcome.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                header.version());
        int protocolVersion = decoder.protocolVersion();
        long snapshotVersion = decoder.snapshotVersion();
        int maxFrameBytes = (int) Math.min(Integer.MAX_VALUE, decoder.maxFrameBytes());
        int maxBatch = (int) Math.min(Integer.MAX_VALUE, decoder.maxBatch());
        int maxInFlight = (int) Math.min(Integer.MAX_VALUE, decoder.maxInFlight());
        int maxAnswerBytes = (int) Math.min(Integer.MAX_VALUE, decoder.maxAnswerBytes());
        return new ServerInfo(protocolVersion, decoder.serverVersion(), snapshotVersion, maxFrameBytes, maxBatch,
                maxInFlight, maxAnswerBytes);
    }

    /** Decodes a check response frame's request id, and its answers into {@code into}. */
    long checkResponse(DirectBuffer frame, List<CheckResult> into) {
        MessageHeaderDecoder header = headerDecoder.wrap(frame, 0);
        CheckResponseDecoder response = checkResponse.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH,
                header.blockLength(), header.version());
        long requestId = response.requestId();
        for (CheckResponseDecoder.AnswersDecoder answer : response.answers()) {
            long version = answer.snapshotVersion();
            Decision decision = DECISIONS[Math.min(answer.decisionRaw(), DECISIONS.length - 1)];
            short statusRaw = answer.statusRaw();
            CheckResult.Status status = STATUSES[Math.min(statusRaw, STATUSES.length - 1)];
            boolean failed = answer.flags().failedClosed();
            CheckResponseDecoder.AnswersDecoder.StatementsDecoder statements = answer.statements();
            if (status == CheckResult.Status.OK && !failed && statements.count() == 0) {
                answer.skipDetail();
                into.add(plain(decision, version));
                continue;
            }
            List<DecisiveStatement> decisive = new ArrayList<>(statements.count());
            for (CheckResponseDecoder.AnswersDecoder.StatementsDecoder statement : statements) {
                String policyType = statement.policyType().name().toLowerCase(java.util.Locale.ROOT);
                String effect = statement.effect() == dev.gavel.sidecar.protocol.Effect.DENY ? "Deny" : "Allow";
                int level = statement.level();
                int line = (int) statement.line();
                int column = (int) statement.column();
                decisive.add(new DecisiveStatement(policyType, effect, level, statement.policy(), statement.statement(),
                        line, column));
            }
            into.add(new CheckResult(decision, version, status, failed, answer.detail(), decisive));
        }
        return requestId;
    }

    private CheckResult plain(Decision decision, long version) {
        CheckResult known = plain[decision.ordinal()];
        if (known == null || known.snapshotVersion() != version) {
            known = new CheckResult(decision, version, CheckResult.Status.OK, false, "", List.of());
            plain[decision.ordinal()] = known;
        }
        return known;
    }

    /** Decodes a sample response's request id, and its requests into {@code into}. */
    long sampleResponse(DirectBuffer frame, List<Check> into) {
        MessageHeaderDecoder header = headerDecoder.wrap(frame, 0);
        SampleResponseDecoder response = sampleResponse.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH,
                header.blockLength(), header.version());
        long requestId = response.requestId();
        for (SampleResponseDecoder.ChecksDecoder check : response.checks()) {
            boolean byAccessKey = check.principalKind() == PrincipalKind.ACCESS_KEY;
            List<Check.Fact> facts = new ArrayList<>();
            for (SampleResponseDecoder.ChecksDecoder.ContextDecoder fact : check.context()) {
                boolean multivalued = fact.valueKind() == ValueKind.MULTI;
                List<String> values = new ArrayList<>();
                for (SampleResponseDecoder.ChecksDecoder.ContextDecoder.ValuesDecoder value : fact.values()) {
                    values.add(value.value());
                }
                facts.add(new Check.Fact(fact.key(), values, multivalued));
            }
            into.add(new Check(check.principal(), check.sessionToken(), byAccessKey, check.action(), check.resource(),
                    facts));
        }
        return requestId;
    }

    /** An error frame: its request id (0 for the connection), code and message. */
    record Refusal(long requestId, dev.gavel.sidecar.protocol.ErrorCode code, String message) {}

    Refusal error(DirectBuffer frame) {
        MessageHeaderDecoder header = headerDecoder.wrap(frame, 0);
        ErrorDecoder decoder = error.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                header.version());
        return new Refusal(decoder.requestId(), decoder.code(), decoder.message());
    }
}
