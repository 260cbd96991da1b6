package dev.gavel.bench;

import dev.gavel.Action;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.eval.Decision;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How a prepared check's cost grows with the statements attached to a principal, from 100 to
 * 100,000 (seeded, {@link Scenarios#userWithStatements}), on the allow path and the default-deny
 * path. Guards the action plans and resource indexes: without them the cost grows with the
 * number of statements.
 *
 * <p>Run: {@code scripts/bench ScalingBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class ScalingBenchmark {

    @Param({"100", "1000", "10000", "100000"})
    public int statements;

    @Param({"allow", "deny"})
    public String path;

    private Principal principal;
    private Action action;
    private String resource;
    private String[] resources;
    private int next;
    private CheckContext context;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Engine engine = Engine.of(Scenarios.userWithStatements(statements, 42));
        principal = engine.principal(Scenarios.USER);
        action = engine.action("s3:GetObject");
        resource = path.equals("allow") ? Scenarios.allowedObject(statements) : Scenarios.UNLISTED_OBJECT;
        context = engine.newContext().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1")
                .put("aws:SourceIp", "10.1.2.3");
        resources = Scenarios.copies(resource, 64);
        Decision expected = path.equals("allow") ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
        if (principal.check(action, resource, context).decision() != expected) {
            throw new IllegalStateException(statements + "/" + path + " must be " + expected);
        }
    }

    @Benchmark
    public Answer check() {
        next = (next + 1) & (resources.length - 1);
        return principal.check(action, resources[next], context);
    }
}
