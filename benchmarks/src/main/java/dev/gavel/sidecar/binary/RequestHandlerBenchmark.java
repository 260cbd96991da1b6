package dev.gavel.sidecar.binary;

import dev.gavel.Action;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.ContextKey;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.cli.RequestSample;
import dev.gavel.sidecar.protocol.CheckRequestEncoder;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import dev.gavel.sidecar.protocol.PrincipalKind;
import dev.gavel.sidecar.protocol.ValueKind;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sidecar's cost per check without a socket: the request handler decoding frames of 64
 * checks from the demo directory's sampled workload, deciding them and encoding the answers
 * ({@code handler}), against the engine deciding the same requests on the prepared path with
 * their context filled in ({@code engine}). The difference is what the protocol adds; with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes the handler allocates per check.
 * Guards the binary protocol's hot path.
 *
 * <p>Run from the repository root: {@code scripts/bench RequestHandlerBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class RequestHandlerBenchmark {

    private static final int BATCH = 64;
    private static final int FRAMES = 16;

    private RequestHandler handler;
    private Connection connection;
    private final UnsafeBuffer[] frames = new UnsafeBuffer[FRAMES];
    private Principal[] principals;
    private Action[] actions;
    private String[] resources;
    private ContextKey[][] keys;
    private String[][] values;
    private CheckContext context;
    private int next;

    @Setup
    public void setUp() throws Exception {
        Engine engine = Engine.open(Path.of("corpus/demo"));
        List<RequestSample.Request> sample = RequestSample.draw(engine.directory(), BATCH * FRAMES, 1,
                Clock.systemUTC());
        BinaryLimits limits = BinaryLimits.defaults();
        handler = new RequestHandler(engine, new PrincipalCache(engine, 1000), limits, new ServerStats(1), "bench");
        connection = new Connection(null);
        for (int f = 0; f < FRAMES; f++) {
            frames[f] = encode(sample.subList(f * BATCH, (f + 1) * BATCH));
        }
        principals = new Principal[sample.size()];
        actions = new Action[sample.size()];
        resources = new String[sample.size()];
        keys = new ContextKey[sample.size()][];
        values = new String[sample.size()][];
        for (int i = 0; i < sample.size(); i++) {
            principals[i] = engine.principal(sample.get(i).principal());
            actions[i] = engine.action(sample.get(i).action());
            resources[i] = sample.get(i).resource();
            Map<String, String> facts = sample.get(i).context();
            keys[i] = facts.keySet().stream().map(engine::contextKey).toArray(ContextKey[]::new);
            values[i] = facts.values().toArray(String[]::new);
        }
        context = engine.newContext();
    }

    /** A request frame on the heap, as the I/O threads read them. */
    private static UnsafeBuffer encode(List<RequestSample.Request> requests) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16 * 1024);
        MessageHeaderEncoder header = new MessageHeaderEncoder();
        CheckRequestEncoder request = new CheckRequestEncoder().wrapAndApplyHeader(buffer, 0, header).requestId(1);
        request.flags().clear();
        CheckRequestEncoder.ChecksEncoder checks = request.checksCount(requests.size());
        for (RequestSample.Request each : requests) {
            CheckRequestEncoder.ChecksEncoder.ContextEncoder facts = checks.next().principalKind(PrincipalKind.ARN)
                    .contextCount(each.context().size());
            for (Map.Entry<String, String> fact : each.context().entrySet()) {
                facts.next().valueKind(ValueKind.SINGLE).valuesCount(1).next().value(fact.getValue());
                facts.key(fact.getKey());
            }
            checks.principal(each.principal()).sessionToken("").action(each.action()).resource(each.resource());
        }
        header.frameLength(request.limit());
        byte[] bytes = new byte[request.limit()];
        buffer.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int handler() {
        UnsafeBuffer frame = frames[next];
        next = next + 1 == FRAMES ? 0 : next + 1;
        connection.outEnd = 0;
        connection.unsent = 0;
        handler.handle(frame, connection, 0);
        return connection.outEnd;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int engine() {
        int first = next * BATCH;
        next = next + 1 == FRAMES ? 0 : next + 1;
        int allowed = 0;
        for (int i = first; i < first + BATCH; i++) {
            context.clear();
            for (int k = 0; k < keys[i].length; k++) {
                context.put(keys[i][k], values[i][k]);
            }
            Answer answer = principals[i].check(actions[i], resources[i], context);
            allowed += answer.allowed() ? 1 : 0;
        }
        return allowed;
    }
}
