package dev.gavel.bench;

import dev.gavel.Engine;
import dev.gavel.analysis.WhatCan;
import dev.gavel.analysis.WhatCanReport;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.User;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.ServiceCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code gavel what-can} for one principal of a generated directory ({@link DirectoryGenerator},
 * 100,000 principals, seed 42), with the shared service catalog when present: the target is 50 ms
 * at the median for a principal with about ten policies. The answer expands the principal's
 * wildcards against the catalog, decides each (action, resource pattern) pair with the compiled
 * check, and analyses three-valued the pairs whose statements read keys not given.
 *
 * <ul>
 *   <li>{@code tenPolicies}: the first user (by ARN) with ten identity-based policies (its own and
 *       its groups'), with the question's facts (TLS, region, source IP);
 *   <li>{@code busiest}: the user with the most identity-based policies (15, PowerUserAccess among
 *       them, whose NotAction grants 21,826 of the catalog's actions), with the same facts;
 *   <li>{@code busiestUnknown}: the same user with no facts, every key unknown, so more of its
 *       pairs are analysed and conditional.
 * </ul>
 *
 * <p>Run: {@code scripts/bench WhatCanBenchmark} (SampleTime gives p50 and p99).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class WhatCanBenchmark {

    @Param({"100000"})
    int principals;

    @Param({"tenPolicies", "busiest", "busiestUnknown"})
    String question;

    private Path folder;
    private WhatCan whatCan;
    private String principal;
    private RequestContext context;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        folder = Files.createTempDirectory("gavel-what-can-");
        DirectoryGenerator.generate(folder, principals, 42);
        Engine engine = Engine.open(folder);
        whatCan = new WhatCan(engine, ServiceCatalog.locate(null));
        Directory directory = engine.directory();
        Authorizer authorizer = new Authorizer(directory, engine.clock());
        User busiest = null;
        User ten = null;
        int most = -1;
        for (User user : directory.accounts().iterator().next().users().values()) {
            int count = authorizer.identityPolicies(authorizer.identity(user.arn())).size();
            if (count > most || count == most && user.arn().compareTo(busiest.arn()) < 0) {
                busiest = user;
                most = count;
            }
            if (count == 10 && (ten == null || user.arn().compareTo(ten.arn()) < 0)) {
                ten = user;
            }
        }
        principal = question.equals("tenPolicies") ? ten.arn() : busiest.arn();
        int policies = question.equals("tenPolicies") ? 10 : most;
        context = !question.equals("busiestUnknown") ? RequestContext.builder().put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1").put("aws:SourceIp", "10.1.2.3").build()
                : RequestContext.empty();
        WhatCanReport first = whatCan.ask(principal, null, null, context);
        if (!first.coverage().undecided().isEmpty()) {
            throw new IllegalStateException("what-can left undecided " + first.coverage().undecided());
        }
        long conditional = first.reaches().stream().filter(r -> r.condition() != null).count();
        System.out.println("\n" + question + ": " + principal + " with " + policies + " identity-based policies ("
                + first.coverage().policies() + " in all): " + first.coverage().actions() + " actions, "
                + first.coverage().decided() + " pairs decided, " + first.reaches().size() + " entries ("
                + conditional + " conditional)");
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Folders.delete(folder);
    }

    @Benchmark
    public WhatCanReport whatCan() throws Exception {
        return whatCan.ask(principal, null, null, context);
    }
}
