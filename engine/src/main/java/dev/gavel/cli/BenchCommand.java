package dev.gavel.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.Action;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel bench}: how fast Gavel decides requests on the user's own directory. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure how fast Gavel decides requests on a directory's own policies.",
            "",
            "Builds a seeded mix of requests from the directory: every user and a session",
            "of every role, the actions and resources their identity policies name, with",
            "wildcards made concrete. Warms up, then checks them on the prepared path on",
            "--threads threads for --duration. Prints checks per second, latency",
            "percentiles, bytes allocated per check, the mix of decisions, failures, and",
            "the same workload's rate on the reference evaluator (one thread, at most 3s",
            "after as long a warm-up as the compiled run's, at most 3s).",
            "Progress goes to stderr. --context facts are added to every request",
            "(aws:SourceIp and aws:RequestedRegion then replace the workload's own).",
            ""
        })
final class BenchCommand implements Callable<Integer> {

    /** The most threads; more than a few per core measures the scheduler. */
    static final int MAX_THREADS = 1_024;
    /**
     * The longest run. Role sessions named by ARN last an hour from when the run prepares them,
     * as {@code Authorizer.identity} issues them, and an expired session fails closed: warm-up,
     * run and reference must fit well inside that hour.
     */
    static final Duration MAX_DURATION = Duration.ofMinutes(30);
    /**
     * The default warm-up's ceiling. On two cores the rate of the demo and of the real dumps settles
     * after two to three seconds, while the compiler threads share the cores with the workers.
     */
    static final Duration MAX_DEFAULT_WARMUP = Duration.ofSeconds(3);
    /**
     * The reference evaluator's longest run and warm-up. It allocates and calls far more code
     * than the compiled engine, and on two cores its rate climbs for some three seconds.
     */
    static final Duration MAX_REFERENCE = Duration.ofSeconds(3);
    static final Duration MAX_REFERENCE_WARMUP = Duration.ofSeconds(3);

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private GavelCli parent;

    @Mixin
    private DirectoryOptions options;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads checking at once, each with its own context (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to measure, such as 500ms, 10s or 1m; at most 30m (default: 10s).")
    private Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long to warm up first (default: as long as --duration, at most 3s).")
    private Duration warmup;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the request mix: the same seed gives the same requests (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "8192",
            description = "Distinct requests in the mix, which the threads cycle through (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    private boolean json;

    @Option(names = "--quiet", description = "Show no progress line.")
    private boolean quiet;

    @Mixin
    private CatalogOptions catalogOptions;


    /** A principal that did not resolve, and why. */
    record Skipped(String principal, String reason) {}

    /** The candidates that resolved, as engine handles and as identities for the reference, and those that did not. */
    record Resolved(List<Principal> handles, List<Identity> identities, List<Skipped> skipped) {}

    /** What the workload holds. */
    record Workload(int principals, int roleSessions, int serviceLinked, List<Skipped> skipped, int actions,
            int resources, int requests, int catalogServices) {}

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkArguments();
        Duration warm = warmup != null ? warmup : min(duration, MAX_DEFAULT_WARMUP);

        Directory directory = options.load(err);
        RequestContext given = options.requestContext(err);
        if (directory == null || given == null) {
            return Exit.USAGE;
        }
        for (RequestContext.Entry entry : given.entries()) {
            if (Authorizer.isFilledKey(entry.key())) {
                err.println("gavel bench: --context " + entry.key() + " is filled from the principal, the resource's "
                        + "account or the clock, and cannot be supplied");
                return Exit.USAGE;
            }
        }
        ServiceCatalog catalog;
        try {
            catalog = catalogOptions.load();
        } catch (IOException e) {
            err.println("gavel bench: cannot read the service catalog: " + e.getMessage());
            return Exit.USAGE;
        }

        Engine engine = Engine.of(directory, parent.clock());
        Authorizer authorizer = new Authorizer(directory, parent.clock());
        Resolved resolved = resolve(engine, authorizer, BenchWorkload.candidates(directory));
        List<Principal> handles = resolved.handles();
        List<Identity> identities = resolved.identities();
        List<Skipped> skipped = resolved.skipped();
        if (identities.isEmpty()) {
            err.println("gavel bench: no principal of " + options.directory + " resolves, so there is nothing to check"
                    + (skipped.isEmpty() ? "" : "; the first: " + skipped.get(0).principal() + ": "
                    + skipped.get(0).reason()));
            return Exit.FAILED;
        }
        List<BenchWorkload.Request> requests = BenchWorkload.requests(identities, authorizer, catalog, size, seed);

        // The same requests as arrays for the workers, and as the reference evaluator takes them.
        RequestContext.Builder facts = RequestContext.builder().put("aws:SecureTransport", "true")
                .put("aws:ViaAWSService", "false");
        given.entries().forEach(entry -> {
            if (entry.multivalued()) {
                facts.putMultivalued(entry.key(), entry.values());
            } else {
                facts.put(entry.key(), entry.values().get(0));
            }
        });
        RequestContext fixed = facts.build();
        boolean ownRegion = fixed.get("aws:RequestedRegion") == null;
        boolean ownSourceIp = fixed.get("aws:SourceIp") == null;
        BenchRunner.Facts checkFacts = new BenchRunner.Facts(fixed,
                ownRegion ? engine.contextKey("aws:RequestedRegion") : null,
                ownSourceIp ? engine.contextKey("aws:SourceIp") : null);

        int n = requests.size();
        Principal[] principals = new Principal[n];
        Action[] actions = new Action[n];
        String[] actionNames = new String[n];
        String[] resources = new String[n];
        String[] regions = new String[n];
        String[] sourceIps = new String[n];
        Identity[] requestIdentities = new Identity[n];
        RequestContext[] contexts = new RequestContext[n];
        Map<String, RequestContext> contextsByFacts = new HashMap<>();
        Set<String> distinctActions = new HashSet<>();
        Set<String> distinctResources = new HashSet<>();
        for (int k = 0; k < n; k++) {
            BenchWorkload.Request request = requests.get(k);
            principals[k] = handles.get(request.principal());
            requestIdentities[k] = identities.get(request.principal());
            actions[k] = engine.action(request.action());
            actionNames[k] = request.action();
            resources[k] = request.resource();
            regions[k] = request.region();
            sourceIps[k] = request.sourceIp();
            contexts[k] = contextsByFacts.computeIfAbsent(request.region() + " " + request.sourceIp(), key -> {
                RequestContext.Builder builder = fixed.toBuilder();
                if (ownRegion) {
                    builder.put("aws:RequestedRegion", request.region());
                }
                if (ownSourceIp) {
                    builder.put("aws:SourceIp", request.sourceIp());
                }
                return builder.build();
            });
            distinctActions.add(request.action().toLowerCase(Locale.ROOT));
            distinctResources.add(request.resource());
        }
        BenchRunner.Requests arrays = new BenchRunner.Requests(principals, actions, resources, regions, sourceIps);
        int roleSessions = 0;
        int serviceLinked = 0;
        for (Identity identity : identities) {
            if (identity instanceof Identity.RoleSessionIdentity session) {
                roleSessions++;
                serviceLinked += session.role().serviceLinked() ? 1 : 0;
            }
        }
        Workload workload = new Workload(handles.size(), roleSessions, serviceLinked, skipped, distinctActions.size(),
                distinctResources.size(), n, catalog == null ? 0 : catalog.serviceCount());

        // Every request once, single-threaded: the compiled engine's decisions for the reference to
        // agree with, and every principal's plans for its actions made before anything is timed.
        Decision[] expected = BenchRunner.decideAll(engine, arrays, checkFacts);

        boolean terminal = System.console() != null;
        BenchRunner runner = new BenchRunner(new BenchProgress(err, terminal, quiet));
        BenchRunner.Result result = runner.run(engine, arrays, checkFacts, threads, warm, duration);
        double timerNs = BenchRunner.timerCost();
        long failures = engine.failures();
        BenchRunner.ReferenceResult reference = runner.reference(authorizer, requestIdentities, actionNames, resources,
                contexts, expected, min(warm, MAX_REFERENCE_WARMUP), min(duration, MAX_REFERENCE));

        if (json) {
            out.println(ReportJson.object(generator -> writeJson(generator, result, reference, workload, failures,
                    timerNs, engine.version())));
        } else {
            printText(out, result, reference, workload, failures, timerNs, engine.version(), catalog != null);
        }
        out.flush();
        return Exit.OK;
    }

    /** Resolves each candidate on both paths; one that fails on either is skipped, with the reason. */
    static Resolved resolve(Engine engine, Authorizer authorizer, List<BenchWorkload.Candidate> candidates) {
        List<Principal> handles = new ArrayList<>();
        List<Identity> identities = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (BenchWorkload.Candidate candidate : candidates) {
            try {
                Principal handle = engine.principal(candidate.arn());
                Identity identity = authorizer.identity(candidate.arn());
                handles.add(handle);
                identities.add(identity);
            } catch (RequestException | RuntimeException e) {
                skipped.add(new Skipped(candidate.arn(), e.getMessage()));
            }
        }
        return new Resolved(handles, identities, skipped);
    }

    private void checkArguments() {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new ParameterException(spec.commandLine(), "--threads must be between 1 and " + MAX_THREADS
                    + ", not " + threads);
        }
        if (duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new ParameterException(spec.commandLine(), "--duration must be more than 0 and at most 30m, not "
                    + DurationConverter.format(duration));
        }
        if (warmup != null && warmup.compareTo(MAX_DURATION) > 0) {
            throw new ParameterException(spec.commandLine(), "--warmup must be at most 30m, not "
                    + DurationConverter.format(warmup));
        }
        if (size < 1 || size > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--requests must be between 1 and 10,000,000, not " + size);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // ---- output

    private static final String[] DECISION_NAMES = {"allowed", "explicitDeny", "implicitDeny"};

    private void writeJson(JsonGenerator json, BenchRunner.Result result, BenchRunner.ReferenceResult reference,
            Workload workload, long failures, double timerNs, long version) throws IOException {
        Histogram latency = result.latency();
        json.writeNumberField("checksPerSecond", Math.round(result.checksPerSecond()));
        json.writeNumberField("threads", threads);
        json.writeNumberField("durationSeconds", round(result.seconds(), 3));
        json.writeNumberField("warmupSeconds", round(result.warmupSeconds(), 3));
        json.writeNumberField("checks", result.checks());
        json.writeArrayFieldStart("perThread");
        for (double rate : result.perThread()) {
            json.writeNumber(Math.round(rate));
        }
        json.writeEndArray();
        json.writeObjectFieldStart("latencyNs");
        json.writeNumberField("p50", latency.getValueAtPercentile(50));
        json.writeNumberField("p90", latency.getValueAtPercentile(90));
        json.writeNumberField("p99", latency.getValueAtPercentile(99));
        json.writeNumberField("p999", latency.getValueAtPercentile(99.9));
        json.writeNumberField("max", latency.getMaxValue());
        json.writeNumberField("batch", BenchRunner.BATCH);
        json.writeNumberField("timerPerCheck", round(timerNs / BenchRunner.BATCH, 2));
        json.writeEndObject();
        if (result.bytesPerCheck() < 0) {
            json.writeNullField("bytesPerCheck");
        } else {
            json.writeNumberField("bytesPerCheck", round(result.bytesPerCheck(), 2));
        }
        json.writeObjectFieldStart("decisions");
        for (int d = 0; d < DECISION_NAMES.length; d++) {
            json.writeNumberField(DECISION_NAMES[d], result.decisions()[d]);
        }
        json.writeEndObject();
        json.writeNumberField("failures", failures);
        json.writeObjectFieldStart("workload");
        json.writeNumberField("principals", workload.principals());
        json.writeNumberField("skippedPrincipals", workload.skipped().size());
        json.writeNumberField("actions", workload.actions());
        json.writeNumberField("resources", workload.resources());
        json.writeNumberField("checks", workload.requests());
        json.writeNumberField("seed", seed);
        json.writeBooleanField("serviceCatalog", workload.catalogServices() > 0);
        json.writeArrayFieldStart("skipped");
        for (Skipped skip : workload.skipped()) {
            json.writeStartObject();
            json.writeStringField("principal", skip.principal());
            json.writeStringField("reason", skip.reason());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeObjectFieldStart("reference");
        json.writeNumberField("checksPerSecond", Math.round(reference.checksPerSecond()));
        json.writeNumberField("slowdown", round(slowdown(result, reference), 1));
        json.writeNumberField("checks", reference.checks());
        json.writeNumberField("durationSeconds", round(reference.seconds(), 3));
        json.writeNumberField("disagreements", reference.disagreements());
        json.writeNumberField("errors", reference.errors());
        json.writeEndObject();
        json.writeNumberField("snapshotVersion", version);
    }

    private void printText(PrintWriter out, BenchRunner.Result result, BenchRunner.ReferenceResult reference,
            Workload workload, long failures, double timerNs, long version, boolean catalog) {
        Histogram latency = result.latency();
        out.printf(Locale.ROOT, "gavel bench %s, snapshot %d%n", options.directory, version);
        out.printf(Locale.ROOT, "workload     %,d principals, %,d actions, %,d resources, %,d requests (seed %d)%n",
                workload.principals(), workload.actions(), workload.resources(), workload.requests(), seed);
        out.printf(Locale.ROOT, "             %,d users and %,d role sessions, %,d of them of service-linked roles%n",
                workload.principals() - workload.roleSessions(), workload.roleSessions(), workload.serviceLinked());
        out.printf(Locale.ROOT, "             wildcard actions %s%n", catalog
                ? "expanded against the service catalog (" + workload.catalogServices() + " services)"
                : "guessed: no service catalog");
        if (!workload.skipped().isEmpty()) {
            out.printf(Locale.ROOT, "             %,d principals skipped, as they do not resolve:%n",
                    workload.skipped().size());
            workload.skipped().stream().limit(5).forEach(skip ->
                    out.printf(Locale.ROOT, "               %s: %s%n", skip.principal(), skip.reason()));
            if (workload.skipped().size() > 5) {
                out.printf(Locale.ROOT, "               and %,d more (--json lists them all)%n",
                        workload.skipped().size() - 5);
            }
        }
        int processors = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "run          %d %s for %.2f s, after %.2f s of warm-up%s%n", threads,
                threads == 1 ? "thread" : "threads", result.seconds(), result.warmupSeconds(),
                threads > processors ? " (more threads than the " + processors + " processors: they take turns)" : "");
        out.printf(Locale.ROOT, "throughput   %,.0f checks/s%s%n", result.checksPerSecond(), perThread(result));
        out.printf(Locale.ROOT, "latency      p50 %,d ns  p90 %,d ns  p99 %,d ns  p99.9 %,d ns  max %,d ns%n",
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(90), latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9), latency.getMaxValue());
        out.printf(Locale.ROOT, "             per check, averaged over batches of %d (the clock adds %.1f ns a check)%n",
                BenchRunner.BATCH, timerNs / BenchRunner.BATCH);
        out.printf(Locale.ROOT, "allocation   %s%n", result.bytesPerCheck() < 0 ? "not measured: this JVM does not count "
                + "allocated bytes per thread" : String.format(Locale.ROOT, "%.2f bytes/check", result.bytesPerCheck()));
        long checks = Math.max(1, result.checks());
        StringBuilder mix = new StringBuilder();
        for (int d = 0; d < DECISION_NAMES.length; d++) {
            mix.append(d == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%s %,d (%.1f%%)", DECISION_NAMES[d],
                    result.decisions()[d], 100.0 * result.decisions()[d] / checks));
        }
        out.printf(Locale.ROOT, "decisions    %s of %,d checks%n", mix, result.checks());
        out.printf(Locale.ROOT, "failures     %,d%n", failures);
        out.printf(Locale.ROOT, "reference    %,.0f checks/s on 1 thread for %.2f s: the compiled engine is %.1fx "
                + "as fast%s%n", reference.checksPerSecond(), reference.seconds(), slowdown(result, reference),
                threads == 1 ? "" : ", thread for thread");
        if (reference.disagreements() > 0 || reference.errors() > 0) {
            out.printf(Locale.ROOT, "             WARNING: %,d of %,d reference decisions differ from the compiled "
                    + "engine's and %,d failed: please report this%n", reference.disagreements(), reference.checks(),
                    reference.errors());
        } else {
            out.printf(Locale.ROOT, "             it decided all %,d checks as the compiled engine did%n",
                    reference.checks());
        }
    }

    /**
     * How many times as fast as the reference evaluator the compiled engine is, thread for thread
     * (the reference runs on one); 0 when the reference made no check.
     */
    private static double slowdown(BenchRunner.Result result, BenchRunner.ReferenceResult reference) {
        double perThread = result.checksPerSecond() / result.perThread().length;
        return reference.checksPerSecond() > 0 ? perThread / reference.checksPerSecond() : 0;
    }

    private static String perThread(BenchRunner.Result result) {
        double[] rates = result.perThread();
        if (rates.length == 1) {
            return "";
        }
        StringBuilder text = new StringBuilder(", per thread ");
        if (rates.length <= 8) {
            for (int i = 0; i < rates.length; i++) {
                text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", rates[i]));
            }
            return text.toString();
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (double rate : rates) {
            min = Math.min(min, rate);
            max = Math.max(max, rate);
            sum += rate;
        }
        return text.append(String.format(Locale.ROOT, "%,.0f to %,.0f (mean %,.0f)", min, max, sum / rates.length))
                .toString();
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
