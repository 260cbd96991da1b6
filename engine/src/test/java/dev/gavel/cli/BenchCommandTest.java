package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.SharedCorpus;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonNull;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code gavel bench}: the shape and consistency of what it prints, never its numbers, which
 * depend on the machine. Runs are a few hundred milliseconds long.
 */
class BenchCommandTest {

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine command = GavelCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return new Run(command.execute(args), out.toString(), err.toString());
    }

    private static JsonObject json(Run run) {
        assertThat(run.exit()).as(run.err()).isZero();
        try {
            return (JsonObject) new JsonReader(1 << 20, 16).read(run.out());
        } catch (JsonSyntaxException e) {
            throw new AssertionError("not one JSON object: " + run.out(), e);
        }
    }

    private static long number(JsonObject object, String name) {
        JsonValue value = object.get(name);
        assertThat(value).as(name).isNotNull();
        return Math.round(Double.parseDouble(value.scalarText()));
    }

    private static double decimal(JsonObject object, String name) {
        JsonValue value = object.get(name);
        assertThat(value).as(name).isNotNull().isNotInstanceOf(JsonNull.class);
        return Double.parseDouble(value.scalarText());
    }

    /** Every field is there, and the numbers agree with each other. */
    private static void assertSane(JsonObject result, int threads) {
        assertThat(number(result, "threads")).isEqualTo(threads);
        long checks = number(result, "checks");
        assertThat(checks).isPositive();
        assertThat(number(result, "checksPerSecond")).isPositive();
        assertThat(decimal(result, "durationSeconds")).isPositive();
        assertThat(((JsonArray) result.get("perThread")).elements()).hasSize(threads);

        JsonObject latency = (JsonObject) result.get("latencyNs");
        long p50 = number(latency, "p50");
        long p90 = number(latency, "p90");
        long p99 = number(latency, "p99");
        long p999 = number(latency, "p999");
        long max = number(latency, "max");
        assertThat(p50).isNotNegative().isLessThanOrEqualTo(p90);
        assertThat(p90).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(p999);
        assertThat(p999).isLessThanOrEqualTo(max);
        assertThat(number(latency, "batch")).isEqualTo(BenchRunner.BATCH);

        assertThat(decimal(result, "bytesPerCheck")).isNotNegative();

        JsonObject decisions = (JsonObject) result.get("decisions");
        long allowed = number(decisions, "allowed");
        long explicitDeny = number(decisions, "explicitDeny");
        long implicitDeny = number(decisions, "implicitDeny");
        assertThat(List.of(allowed, explicitDeny, implicitDeny)).allSatisfy(n -> assertThat(n).isNotNegative());
        assertThat(allowed + explicitDeny + implicitDeny).isEqualTo(checks);
        assertThat(number(result, "failures")).isZero();

        JsonObject workload = (JsonObject) result.get("workload");
        assertThat(number(workload, "principals")).isPositive();
        assertThat(number(workload, "actions")).isPositive();
        assertThat(number(workload, "resources")).isPositive();
        assertThat(number(workload, "checks")).isEqualTo(8192);
        assertThat(((JsonArray) workload.get("skipped")).elements()).hasSize((int) number(workload, "skippedPrincipals"));

        JsonObject reference = (JsonObject) result.get("reference");
        assertThat(number(reference, "checksPerSecond")).isPositive();
        assertThat(decimal(reference, "slowdown")).isPositive();
        assertThat(number(reference, "checks")).isPositive();
        assertThat(number(reference, "disagreements")).isZero();
        assertThat(number(reference, "errors")).isZero();
        assertThat(number(result, "snapshotVersion")).isEqualTo(1);
    }

    @Test
    void theDemoDirectoryPrintsEveryFieldWithConsistentValues() {
        JsonObject result = json(run("bench", "--directory", "corpus/demo", "--duration", "300ms", "--json"));
        assertSane(result, 1);
        JsonObject workload = (JsonObject) result.get("workload");
        assertThat(number(workload, "skippedPrincipals")).isZero();
        assertThat(number(workload, "seed")).isEqualTo(1);
    }

    @Test
    void twoThreadsEachReportTheirRate() {
        JsonObject result = json(run("bench", "--directory", "corpus/demo", "--duration", "300ms", "--warmup", "100ms",
                "--threads", "2", "--json", "--no-service-catalog"));
        assertSane(result, 2);
        assertThat(((JsonObject) result.get("workload")).get("serviceCatalog").scalarText()).isEqualTo("false");
    }

    /** The loader reads folders, not a single dump file: each dump goes in a folder of its own. */
    @ParameterizedTest
    @CsvSource({"012345678901, 6", "200611803367, 116"})
    void eachRealDumpBenchesWithEveryUserAndRoleSession(String account, int principals, @TempDir Path folder)
            throws Exception {
        Path dump = SharedCorpus.require("corpus/account-dumps/" + account + ".json");
        Files.createDirectories(folder.resolve("accounts"));
        Files.copy(dump, folder.resolve("accounts").resolve(account + ".json"));
        JsonObject result = json(run("bench", "--directory", folder.toString(), "--duration", "300ms", "--json"));
        assertSane(result, 1);
        JsonObject workload = (JsonObject) result.get("workload");
        assertThat(number(workload, "principals")).isEqualTo(principals);
        assertThat(number(workload, "skippedPrincipals")).isZero();
    }

    @Test
    void theTablePrintsEachMeasureAndTheSameSeedGivesTheSameWorkload() {
        Run first = run("bench", "--directory", "corpus/demo", "--duration", "200ms", "--warmup", "100ms", "--seed", "7",
                "--quiet");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("gavel bench corpus/demo, snapshot 1", "(seed 7)", "throughput ",
                " checks/s", "latency      p50 ", "p99.9 ", "allocation ", " bytes/check", "decisions    allowed ",
                "explicitDeny ", "implicitDeny ", "failures     0", "reference ", "x as fast");
        assertThat(first.err()).isEmpty();
        Run second = run("bench", "--directory", "corpus/demo", "--duration", "100ms", "--warmup", "0ms", "--seed", "7",
                "--quiet");
        assertThat(workloadLine(second.out())).isEqualTo(workloadLine(first.out()));
    }

    private static String workloadLine(String table) {
        return table.lines().filter(line -> line.startsWith("workload")).findFirst().orElseThrow();
    }

    @Test
    void contextFactsAreAddedToEveryRequestButFilledKeysAreRefused() {
        JsonObject result = json(run("bench", "--directory", "corpus/demo", "--duration", "100ms", "--warmup", "0ms",
                "--json", "--context", "aws:SourceIp=192.0.2.7", "--context", "aws:RequestedRegion=us-east-1"));
        assertSane(result, 1);
        Run filled = run("bench", "--directory", "corpus/demo", "--context", "aws:PrincipalArn=x");
        assertThat(filled.exit()).isEqualTo(2);
        assertThat(filled.err()).contains("--context aws:PrincipalArn is filled from the principal");
    }

    @Test
    void badArgumentsAreUsageErrorsThatSayWhatIsWrong() {
        Run threads = run("bench", "--directory", "corpus/demo", "--threads", "0");
        assertThat(threads.exit()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads must be between 1 and 1024, not 0", "Usage: gavel bench");

        Run duration = run("bench", "--directory", "corpus/demo", "--duration", "abc");
        assertThat(duration.exit()).isEqualTo(2);
        assertThat(duration.err()).contains("Invalid value for option '--duration': 'abc' is not a duration; "
                + "expected a whole number with ms, s, m or h, such as 500ms, 30s or 5m, or 0");

        Run zero = run("bench", "--directory", "corpus/demo", "--duration", "0s");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--duration must be more than 0 and at most 30m, not 0ms");

        Run tooLong = run("bench", "--directory", "corpus/demo", "--duration", "31m");
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(tooLong.err()).contains("not 31m");

        Run requests = run("bench", "--directory", "corpus/demo", "--requests", "0");
        assertThat(requests.exit()).isEqualTo(2);
        assertThat(requests.err()).contains("--requests must be between 1 and 10,000,000, not 0");

        Run missing = run("bench", "--directory", "corpus/no-such-directory", "--duration", "100ms");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("did not load");
    }

    @Test
    void durationsReadMillisecondsSecondsAndMinutes() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("500ms").toMillis()).isEqualTo(500);
        assertThat(converter.convert("10s").toMillis()).isEqualTo(10_000);
        assertThat(converter.convert("1m").toMillis()).isEqualTo(60_000);
        assertThat(DurationConverter.format(converter.convert("90s"))).isEqualTo("90s");
        assertThat(DurationConverter.format(converter.convert("120s"))).isEqualTo("2m");
        for (String bad : new String[] {"abc", "10", "1.5s", "-1s", "10 h", ""}) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> converter.convert(bad)))
                    .as(bad).isInstanceOf(picocli.CommandLine.TypeConversionException.class);
        }
    }

    @Test
    void principalsThatDoNotResolveAreSkippedWithTheReason() throws Exception {
        Directory demo = DirectoryLoader.load(Path.of("corpus/demo"));
        Engine engine = Engine.of(demo);
        BenchCommand.Resolved resolved = BenchCommand.resolve(engine, new Authorizer(demo, Clock.systemUTC()), List.of(
                new BenchWorkload.Candidate("arn:aws:iam::111122223333:user/alice"),
                new BenchWorkload.Candidate("arn:aws:sts::111122223333:assumed-role/NoSuchRole/bench")));
        assertThat(resolved.handles()).hasSize(1);
        assertThat(resolved.identities()).hasSize(1);
        assertThat(resolved.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.principal()).isEqualTo("arn:aws:sts::111122223333:assumed-role/NoSuchRole/bench");
            assertThat(skipped.reason()).contains("no role NoSuchRole");
        });
    }

    @Test
    void theProgressLineIsRewrittenOnATerminalAndPrintedOtherwise() {
        StringWriter log = new StringWriter();
        BenchProgress lines = new BenchProgress(new PrintWriter(log, true), false, false);
        lines.show("measuring 1.0 s of 10.0 s: 100 checks, 100 checks/s");
        lines.clear();
        assertThat(log.toString()).isEqualTo("gavel bench: measuring 1.0 s of 10.0 s: 100 checks, 100 checks/s"
                + System.lineSeparator());

        StringWriter screen = new StringWriter();
        BenchProgress terminal = new BenchProgress(new PrintWriter(screen, true), true, false);
        terminal.show("warm-up 1.0 s of 3.0 s: 12,345 checks");
        terminal.show("warm-up 2.0 s of 3.0 s: 9 checks");
        terminal.clear();
        String long1 = "gavel bench: warm-up 1.0 s of 3.0 s: 12,345 checks";
        String short2 = "gavel bench: warm-up 2.0 s of 3.0 s: 9 checks";
        assertThat(screen.toString()).isEqualTo("\r" + long1 + "\r" + short2 + " ".repeat(long1.length() - short2.length())
                + "\r" + " ".repeat(short2.length()) + "\r");
        assertThat(screen.toString()).doesNotContain("\n");

        StringWriter nothing = new StringWriter();
        BenchProgress quiet = new BenchProgress(new PrintWriter(nothing, true), true, true);
        quiet.show("anything");
        quiet.clear();
        assertThat(nothing.toString()).isEmpty();
    }
}
