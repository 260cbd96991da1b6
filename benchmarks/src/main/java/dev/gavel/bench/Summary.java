package dev.gavel.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks behind Gavel's headline figures and writes them to
 * {@code benchmarks/target/summary.json}, with the path of the full JMH results beside it. Each
 * figure keeps JMH's error (99.9% confidence half-width) next to it as {@code NAMEError}.
 *
 * <p>{@code scripts/bench --quick} runs it with one fork and short iterations (a few minutes on
 * two cores, wide error bars); {@code scripts/bench --summary} with two forks and longer ones.
 */
public final class Summary {

    private final boolean quick;
    private final Path target;
    private final List<Path> results = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();

    private Summary(boolean quick, Path target) {
        this.quick = quick;
        this.target = target;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        Path target = Path.of("benchmarks", "target");
        Files.createDirectories(target);
        new Summary(quick, target).run();
    }

    private void run() throws Exception {
        // Latency of one prepared check, the principal with 100 statements on its allow path.
        RunResult sample = single(options("latency", "PreparedCheckBenchmark.compiled")
                .param("scenario", "user100").param("path", "allow")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.NANOSECONDS));
        var histogram = sample.getPrimaryResult().getStatistics();
        put("preparedCheckNsP50", histogram.getPercentile(50), Double.NaN);
        put("preparedCheckNsP99", histogram.getPercentile(99), Double.NaN);

        // Throughput on one and on two threads, and bytes allocated per check.
        RunResult one = single(options("throughput-1", "PreparedCheckBenchmark.compiled")
                .param("scenario", "user100").param("path", "allow").threads(1)
                .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS)
                .addProfiler(GCProfiler.class));
        put("checksPerSecond1Thread", one.getPrimaryResult().getScore(), one.getPrimaryResult().getScoreError());
        Result<?> allocated = one.getSecondaryResults().get("gc.alloc.rate.norm");
        put("bytesPerPreparedCheck", allocated.getScore(), allocated.getScoreError());
        RunResult two = single(options("throughput-2", "PreparedCheckBenchmark.compiled")
                .param("scenario", "user100").param("path", "allow").threads(2)
                .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS));
        put("checksPerSecond2Threads", two.getPrimaryResult().getScore(), two.getPrimaryResult().getScoreError());

        // The reference evaluator on the same checks, in the same kind of run.
        Collection<RunResult> versus = runAll(options("reference", "PreparedCheckBenchmark")
                .param("scenario", "user100", "session10managed").param("path", "allow")
                .mode(Mode.AverageTime).timeUnit(TimeUnit.NANOSECONDS));
        double slowest = Double.MAX_VALUE;
        for (String scenario : List.of("user100", "session10managed")) {
            double compiled = score(versus, "compiled", scenario);
            double reference = score(versus, "reference", scenario);
            summary.put("referenceSlowdown_" + scenario, round(reference / compiled));
            slowest = Math.min(slowest, reference / compiled);
        }
        summary.put("referenceSlowdown", round(slowest));

        // Growth from 100 to 100,000 statements.
        Collection<RunResult> scaling = runAll(options("scaling", "ScalingBenchmark")
                .param("statements", "100", "100000").param("path", "allow")
                .mode(Mode.AverageTime).timeUnit(TimeUnit.NANOSECONDS));
        double small = scalingScore(scaling, "100");
        double large = scalingScore(scaling, "100000");
        summary.put("scaling100To100k", round(large / small));
        summary.put("scalingNs100", round(small));
        summary.put("scalingNs100k", round(large));

        // Compiling every AWS managed policy.
        RunResult compile = single(options("compile", "CompileBenchmark.compile$")
                .mode(Mode.SingleShotTime).timeUnit(TimeUnit.MILLISECONDS)
                .warmupIterations(3).measurementIterations(quick ? 5 : 10));
        put("compileAwsManagedMs", compile.getPrimaryResult().getScore(), compile.getPrimaryResult().getScoreError());

        // gavel who-can: one question over a generated 100,000-principal directory.
        RunResult whoCan = single(options("who-can", "WhoCanBenchmark").param("question", "s3read")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.MILLISECONDS).jvmArgsAppend("-Xmx3g"));
        put("whoCan100kMsP50", whoCan.getPrimaryResult().getStatistics().getPercentile(50), Double.NaN);

        // gavel what-can: a user of that directory with ten identity-based policies.
        RunResult whatCan = single(options("what-can", "WhatCanBenchmark").param("question", "tenPolicies")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.MILLISECONDS).jvmArgsAppend("-Xmx3g"));
        put("whatCanMsP50", whatCan.getPrimaryResult().getStatistics().getPercentile(50), Double.NaN);

        // gavel diff: two 100,000-principal directories differing by one SCP and one managed policy.
        RunResult diff = single(options("diff", "DiffBenchmark").mode(Mode.SingleShotTime)
                .timeUnit(TimeUnit.MILLISECONDS).warmupIterations(1).measurementIterations(quick ? 1 : 3)
                .jvmArgsAppend("-Xmx6g"));
        put("diff100kMs", diff.getPrimaryResult().getScore(), diff.getPrimaryResult().getScoreError());


        LoadFigures.measure(quick, summary);
        // The HTTP API: checks per second on one keep-alive connection, on four, and in batches.
        HttpThroughput.measure(quick, summary);
        summary.put("jmh", combine().toString());
        write();
    }

    private ChainedOptionsBuilder options(String name, String include) {
        Path file = target.resolve("jmh-" + name + ".json");
        results.add(file);
        return new OptionsBuilder().include(include).forks(quick ? 1 : 2)
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .resultFormat(ResultFormatType.JSON).result(file.toString()).shouldFailOnError(true);
    }

    private static RunResult single(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).runSingle();
    }

    private static Collection<RunResult> runAll(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    private static double score(Collection<RunResult> results, String method, String scenario) {
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("." + method)
                    && result.getParams().getParam("scenario").equals(scenario)) {
                return result.getPrimaryResult().getScore();
            }
        }
        throw new IllegalStateException("no result for " + method + " " + scenario);
    }

    private static double scalingScore(Collection<RunResult> results, String statements) {
        for (RunResult result : results) {
            if (result.getParams().getParam("statements").equals(statements)) {
                return result.getPrimaryResult().getScore();
            }
        }
        throw new IllegalStateException("no scaling result for " + statements);
    }

    private void put(String name, double score, double error) {
        summary.put(name, round(score));
        if (!Double.isNaN(error)) {
            summary.put(name + "Error", round(error));
        }
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Joins the runs' JMH result arrays into one file. */
    private Path combine() throws IOException {
        Path all = target.resolve("jmh-summary.json");
        StringBuilder joined = new StringBuilder("[");
        boolean first = true;
        for (Path file : results) {
            if (!Files.exists(file)) {
                continue;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.length() > 2) {
                joined.append(first ? "" : ",").append(text, 1, text.length() - 1);
                first = false;
            }
        }
        Files.writeString(all, joined.append("]\n"), StandardCharsets.UTF_8);
        return all;
    }

    private void write() throws IOException {
        Path file = target.resolve("summary.json");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.setPrettyPrinter(new DefaultPrettyPrinter());
            json.writeStartObject();
            json.writeStringField("mode", quick ? "quick" : "full");
            for (Map.Entry<String, Object> entry : summary.entrySet()) {
                if (entry.getValue() instanceof Number number) {
                    json.writeNumberField(entry.getKey(), number.doubleValue());
                } else {
                    json.writeStringField(entry.getKey(), String.valueOf(entry.getValue()));
                }
            }
            json.writeEndObject();
        }
        System.out.println(Files.readString(file, StandardCharsets.UTF_8));
        System.out.println("written to " + file);
    }
}
