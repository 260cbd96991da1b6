package dev.gavel.bench;

import dev.gavel.Engine;
import dev.gavel.analysis.Grant;
import dev.gavel.analysis.Verdict;
import dev.gavel.analysis.WhoCan;
import dev.gavel.analysis.WhoCanReport;
import dev.gavel.eval.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code gavel who-can} for one action and resource over a generated directory
 * ({@link DirectoryGenerator}, seed 42, written once per trial): the target is 100 ms at the
 * median for 100,000 principals. The principals, and the bitset of those the action may concern,
 * are prepared by the first question (outside the measurement), as a serving process that answers
 * many questions on one snapshot has them; each measured question visits only the principals of
 * that bitset (those whose own policies, within boundary and SCPs, name the action), decides them
 * with their compiled check, analyses three-valued those with a statement on the action and
 * resource that reads a key not given (or, for a role, one that differs between its sessions), and
 * explains those allowed.
 *
 * <ul>
 *   <li>{@code s3read}: s3:GetObject on a team's bucket, which the read-only managed policies
 *       grant to 12,644 principals: explaining them is most of the cost;
 *   <li>{@code secretWrite}: secretsmanager:PutSecretValue on one team's secret, which the power-user
 *       and administrator policies grant to 6,032 principals.
 * </ul>
 *
 * <p>Run: {@code scripts/bench WhoCanBenchmark} (SampleTime gives p50 and p99).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class WhoCanBenchmark {

    @Param({"100000"})
    int principals;

    @Param({"s3read", "secretWrite"})
    String question;

    private Path folder;
    private WhoCan whoCan;
    private List<String> actions;
    private String resource;
    private RequestContext context;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        folder = Files.createTempDirectory("gavel-who-can-");
        DirectoryGenerator.generate(folder, principals, 42);
        Engine engine = Engine.open(folder);
        whoCan = new WhoCan(engine);
        String account = engine.directory().accounts().iterator().next().id();
        if (question.equals("s3read")) {
            actions = List.of("s3:GetObject");
            resource = "arn:aws:s3:::payments-prod-ledger/2026/11/28.csv";
        } else {
            actions = List.of("secretsmanager:PutSecretValue");
            resource = "arn:aws:secretsmanager:eu-west-1:" + account + ":secret:payments/prod/db-AbCdEf";
        }
        context = RequestContext.builder().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1")
                .put("aws:SourceIp", "10.1.2.3").build();
        WhoCanReport first = whoCan.ask(actions, resource, context);
        if (!first.coverage().undecided().isEmpty() || first.coverage().users() + first.coverage().roles() != principals) {
            throw new IllegalStateException("who-can examined " + first.coverage());
        }
        List<Grant> listed = first.actions().get(0).principals();
        long conditional = listed.stream().filter(grant -> grant.verdict() == Verdict.CONDITIONAL).count();
        System.out.println("\n" + question + ": " + (listed.size() - conditional) + " principals allowed and "
                + conditional + " conditional of " + principals);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Folders.delete(folder);
    }

    @Benchmark
    public WhoCanReport whoCan() throws Exception {
        return whoCan.ask(actions, resource, context);
    }
}
