package dev.gavel.bench;

import dev.gavel.Action;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.sts.AssumeRoleRequest;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.Sts;
import java.security.SecureRandom;
import java.time.Clock;
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
 * One prepared check on the compiled engine against the same request on the reference path
 * (the Authorizer with the reference evaluator), in the same run:
 *
 * <ul>
 *   <li>{@code user100}: a user with 100 statements over wildcard ARNs, some with conditions;
 *   <li>{@code session10managed}: a role session with ten AWS managed policies (ReadOnlyAccess
 *       among them), a permissions boundary, a session policy and two levels of SCPs.
 * </ul>
 * {@code allow} asks what the policies allow; {@code deny} falls through to the default deny.
 * Each check reads its resource from a new string, as a gateway's requests do.
 * Guards the hot path: a regression here is a regression in every gateway's latency.
 *
 * <p>Run: {@code scripts/bench PreparedCheckBenchmark -prof gc} (bytes per check), and with
 * {@code -t 2} for two threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PreparedCheckBenchmark {

    @Param({"user100", "session10managed"})
    public String scenario;

    @Param({"allow", "deny"})
    public String path;

    Engine engine;
    Principal principal;
    Action action;
    String resource;
    Authorizer authorizer;
    Identity identity;
    RequestContext requestContext;

    /** What each thread checks with: its own reusable context, and its own turn through the resources. */
    @State(Scope.Thread)
    public static class PerThread {
        CheckContext context;
        String[] resources;
        int next;

        String resource() {
            next = (next + 1) & (resources.length - 1);
            return resources[next];
        }

        @Setup(Level.Trial)
        public void setUp(PreparedCheckBenchmark benchmark) {
            resources = Scenarios.copies(benchmark.resource, 64);
            context = benchmark.engine.newContext()
                    .put("aws:SecureTransport", "true")
                    .put("aws:RequestedRegion", "eu-west-1")
                    .put("aws:SourceIp", "10.1.2.3");
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        requestContext = RequestContext.builder().put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1").put("aws:SourceIp", "10.1.2.3").build();
        Directory directory;
        String actionName;
        if (scenario.equals("user100")) {
            directory = Scenarios.userWithStatements(100, 42);
            engine = Engine.of(directory);
            principal = engine.principal(Scenarios.USER);
            actionName = "s3:GetObject";
            resource = path.equals("allow") ? Scenarios.allowedObject(100) : Scenarios.UNLISTED_OBJECT;
        } else {
            directory = Scenarios.managedRoleSession(Scenarios.awsManaged());
            engine = Engine.of(directory);
            Sts sts = new Sts(directory, Clock.systemUTC(), new SecureRandom());
            IssuedSession session = sts.assumeRole(
                    sts.credentials().resolve("AKIABENCHOPERATOR001", null).identity(),
                    AssumeRoleRequest.builder(Scenarios.ROLE, "bench").policy(Scenarios.SESSION_POLICY).build());
            principal = engine.credentials(session.credentials().accessKeyId(), session.credentials().sessionToken());
            identity = sts.credentials().resolve(session.credentials().accessKeyId(),
                    session.credentials().sessionToken()).identity();
            actionName = path.equals("allow") ? "s3:GetObject" : "s3:PutObject";
            resource = "arn:aws:s3:::example-payments-data/orders/1.csv";
        }
        action = engine.action(actionName);
        authorizer = new Authorizer(engine.directory(), Clock.systemUTC());
        if (scenario.equals("user100")) {
            identity = authorizer.identity(Scenarios.USER);
        }
        Decision expected = path.equals("allow") ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
        CheckContext context = engine.newContext().put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1").put("aws:SourceIp", "10.1.2.3");
        Answer answer = principal.check(action, resource, context);
        if (answer.decision() != expected || reference() != expected) {
            throw new IllegalStateException(scenario + "/" + path + " must be " + expected + ", got " + answer
                    + " and " + reference());
        }
    }

    @Benchmark
    public Answer compiled(PerThread thread) {
        return principal.check(action, thread.resource(), thread.context);
    }

    @Benchmark
    public Decision reference() throws Exception {
        return authorizer.authorize(identity, action.name(), resource, requestContext).decision();
    }
}
