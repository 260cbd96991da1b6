package dev.gavel.bench;

import dev.gavel.Engine;
import dev.gavel.analysis.Diff;
import dev.gavel.analysis.DiffReport;
import dev.gavel.directory.DirectoryLoader;
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
 * {@code gavel diff} of two generated directories ({@link DirectoryGenerator}, seed 42) that
 * differ by one SCP and one customer managed policy, as a pull request changing both would: the
 * target is 30 s for 100,000 principals. One operation loads both versions and compares them,
 * as the command does. Both hold an organization whose Workloads unit has the account, with
 * {@code FullAWSAccess} and a guardrail SCP; the new version's guardrail also denies deleting
 * buckets and tables, and one customer managed policy also allows {@code dynamodb:UpdateTimeToLive}.
 *
 * <p>Run: {@code scripts/bench DiffBenchmark} (SingleShotTime, one load and diff per iteration).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class DiffBenchmark {

    private static final String GUARDRAIL_BEFORE = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Guardrail\","
            + " \"Effect\": \"Deny\", \"Action\": [\"organizations:LeaveOrganization\"], \"Resource\": \"*\"}]}";
    private static final String GUARDRAIL_AFTER = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Guardrail\","
            + " \"Effect\": \"Deny\", \"Action\": [\"organizations:LeaveOrganization\", \"s3:DeleteBucket\", "
            + "\"dynamodb:DeleteTable\"], \"Resource\": \"*\"}]}";

    /** The organization's management account, empty: SCPs do not apply to it. */
    private static final String MANAGEMENT = "999999999999";

    @Param({"100000"})
    int principals;

    private Path folder;
    private Path before;
    private Path after;
    private ServiceCatalog catalog;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        folder = Files.createTempDirectory("gavel-diff-");
        before = folder.resolve("before");
        after = folder.resolve("after");
        DirectoryGenerator.Summary summary = DirectoryGenerator.generate(before, principals, 42);
        Folders.copy(before, after);
        for (Path version : new Path[] {before, after}) {
            Files.writeString(version.resolve("accounts").resolve(MANAGEMENT + ".json"), "{\"UserDetailList\": [], "
                    + "\"GroupDetailList\": [], \"RoleDetailList\": [], \"Policies\": []}");
        }
        Files.writeString(before.resolve("organization.json"), organization(summary.accountId(), GUARDRAIL_BEFORE));
        Files.writeString(after.resolve("organization.json"), organization(summary.accountId(), GUARDRAIL_AFTER));
        Path accountFile = after.resolve(before.relativize(summary.accountFile()).toString());
        Files.writeString(accountFile, grantUpdateTimeToLive(Files.readString(accountFile)));
        catalog = ServiceCatalog.locate(null);
        long start = System.nanoTime();
        DiffReport report = diff();
        long granted = report.changes().stream().filter(c -> c.direction() == DiffReport.Direction.GRANTED).count();
        System.out.printf("%ndiff: %d granted, %d revoked; compared %d of %d principals in %.1f s%n", granted,
                report.changes().size() - granted, report.compared(), report.principals(),
                (System.nanoTime() - start) / 1e9);
        if (report.compared() == 0 || report.changes().isEmpty()) {
            throw new IllegalStateException("the two versions compared equal");
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Folders.delete(folder);
    }

    @Benchmark
    public DiffReport diff() throws Exception {
        Engine was = Engine.of(DirectoryLoader.load(before));
        Engine is = Engine.of(DirectoryLoader.load(after));
        return new Diff(catalog).compare(was, is, null, null, RequestContext.empty());
    }

    /** The account file with the first customer managed policy that is no boundary also allowing UpdateTimeToLive. */
    private static String grantUpdateTimeToLive(String account) {
        int policies = account.indexOf("\"Policies\"");
        int name = policies;
        while (true) {
            name = account.indexOf("\"PolicyName\": \"", name + 1);
            int end = account.indexOf('"', name + 15);
            if (!account.substring(name + 15, end).contains("boundary")) {
                break;
            }
        }
        int next = account.indexOf("\"PolicyName\": \"", name + 1);
        String block = account.substring(name, next < 0 ? account.length() : next);
        String edited = block.replace("\"Action\": [", "\"Action\": [\"dynamodb:UpdateTimeToLive\", ");
        if (edited.equals(block)) {
            throw new IllegalStateException("the policy to edit has no Action list");
        }
        return account.substring(0, name) + edited + (next < 0 ? "" : account.substring(next));
    }

    private static String organization(String accountId, String guardrail) {
        String full = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", "
                + "\"Resource\": \"*\"}]}";
        return "{\"Organization\": {\"Id\": \"o-gavelbench1\", \"ManagementAccountId\": \"" + MANAGEMENT + "\"},"
                + " \"Policies\": {\"ServiceControlPolicies\": {\"FullAWSAccess\": " + full + ", \"Guardrail\": "
                + guardrail + "}, \"ResourceControlPolicies\": {}},"
                + " \"Root\": {\"Id\": \"r-root\", \"Name\": \"Root\", \"ServiceControlPolicies\": [\"FullAWSAccess\"],"
                + " \"ResourceControlPolicies\": [], \"OrganizationalUnits\": [{\"Id\": \"ou-root-workloads\","
                + " \"Name\": \"Workloads\", \"ServiceControlPolicies\": [\"FullAWSAccess\", \"Guardrail\"],"
                + " \"ResourceControlPolicies\": [], \"OrganizationalUnits\": [], \"Accounts\": [{\"Id\": \"" + accountId
                + "\", \"Name\": \"workloads\", \"ServiceControlPolicies\": [\"FullAWSAccess\"],"
                + " \"ResourceControlPolicies\": []}]}], \"Accounts\": [{\"Id\": \"" + MANAGEMENT + "\", \"Name\": "
                + "\"management\", \"ServiceControlPolicies\": [\"FullAWSAccess\"], \"ResourceControlPolicies\": []}]}}";
    }
}
