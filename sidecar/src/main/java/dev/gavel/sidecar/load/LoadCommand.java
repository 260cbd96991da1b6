package dev.gavel.sidecar.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.cli.DurationConverter;
import dev.gavel.sidecar.client.Check;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gavel load}: drives a running {@code gavel serve} and reports its throughput and latency. */
@Command(name = "load",
        mixinStandardHelpOptions = true,
        description = {
            "Measure a running 'gavel serve': throughput and latency over a socket.",
            "",
            "Asks the server for a sample of realistic requests from its own directory (its",
            "users and role sessions, the actions and resources their policies name), then",
            "sends them on --connections connections for --duration after a warm-up: requests",
            "of --batch checks, up to --pipeline unanswered per connection. Without --rate",
            "the loop is closed (a request goes when an answer frees a slot); with --rate it",
            "is open (requests are due at fixed times, and latency counts from then).",
            "Latency is per request, from an HdrHistogram.",
            "",
            "--protocol http drives the HTTP API's socket (gavel serve --http-socket)",
            "instead: POST /v1/authorize, or /v1/authorize/batch for more than one check, on",
            "keep-alive connections, pipelined (HTTP/1.1) when --pipeline is more than 1.",
            "",
            "--protocol nginx or opa drives a gateway endpoint of the HTTP API (gavel serve",
            "--http-socket PATH --gateway): NGINX's auth_request endpoint or OPA's data API,",
            "with the sampled S3 calls as a gateway passes them on, signed with SigV4 by",
            "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (unsigned, as the",
            "anonymous caller, when they are not set). One check per request; a denial counts",
            "as implicitDeny, since a gateway answers only allowed or denied.",
            ""
        })
public final class LoadCommand implements Callable<Integer> {

    /** The protocols gavel load speaks. */
    enum Protocol { binary, http, nginx, opa }

    @Spec
    private CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH", required = true, description = "The server's socket.")
    private Path socket;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "binary",
            description = "The protocol on the socket: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Protocol protocol;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "1",
            description = "Connections, each driven by its own thread (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1",
            description = "Checks per request (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--pipeline", paramLabel = "P", defaultValue = "1",
            description = "Requests unanswered at once on a connection (default: ${DEFAULT-VALUE}).")
    private int pipeline;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to measure (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long to run first without measuring (default: as long as --duration, at most 3s).")
    private Duration warmup;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Checks per second in all, sent open loop; 0 for a closed loop (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "4096",
            description = "Distinct requests to sample from the server and cycle through (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the sample (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "The region S3 calls to a gateway endpoint are signed for (default: ${DEFAULT-VALUE}).")
    private String region;

    @Option(names = "--json", description = "Print one JSON object instead of the report.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkArguments();
        Duration warm = warmupOrDefault();
        if (!Files.exists(socket)) {
            err.println("gavel load: no socket at " + socket + "; is gavel serve running with "
                    + (protocol == Protocol.binary ? "--socket " : "--http-socket ") + socket + "?");
            err.flush();
            return 2;
        }
        try (LoadTarget target = open()) {
            if (batch > target.maxBatch()) {
                throw new ParameterException(spec.commandLine(), "--batch " + batch + " is more than the server takes "
                        + "in one request (" + target.maxBatch() + ")");
            }
            List<Check> workload = target.sample(size, seed);
            if (workload.isEmpty()) {
                err.println("gavel load: the server's directory has no principal to check");
                return 1;
            }
            LoadRun run = new LoadRun(target, workload, connections, batch, pipeline, rate);
            LoadRun.Result result = run.run(warm, duration);
            if (run.failure() != null) {
                err.println("gavel load: a connection was lost: " + run.failure().getMessage());
            }
            if (result.errors() > 0) {
                err.println("gavel load: " + result.errors() + " errors; the first: " + run.firstError());
            }
            out.println(json ? json(target, workload, result, warm) : text(target, workload, result, warm));
            out.flush();
            return run.failure() != null || result.errors() > 0 ? 1 : 0;
        } catch (IOException e) {
            err.println("gavel load: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    private LoadTarget open() throws IOException {
        return switch (protocol) {
            case binary -> new BinaryTarget(socket);
            case http -> new HttpTarget(socket);
            case nginx -> new GatewayTarget(socket, GatewayTarget.Endpoint.nginx,
                    S3Calls.Credentials.fromEnvironment(System.getenv()), region);
            case opa -> new GatewayTarget(socket, GatewayTarget.Endpoint.opa,
                    S3Calls.Credentials.fromEnvironment(System.getenv()), region);
        };
    }

    private Duration warmupOrDefault() {
        return warmup != null ? warmup : duration.compareTo(Duration.ofSeconds(3)) < 0 ? duration
                : Duration.ofSeconds(3);
    }

    private void checkArguments() {
        if (connections < 1 || connections > 1024) {
            throw new ParameterException(spec.commandLine(), "--connections must be between 1 and 1024");
        }
        if (batch < 1 || pipeline < 1 || size < 1) {
            throw new ParameterException(spec.commandLine(), "--batch, --pipeline and --requests must be at least 1");
        }
        boolean gateway = protocol == Protocol.nginx || protocol == Protocol.opa;
        if (gateway && warmupOrDefault().plus(duration).compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ParameterException(spec.commandLine(), "--protocol " + protocol + " signs its requests once, and "
                    + "a signature is good for 15 minutes: keep --warmup and --duration within 10 minutes in all");
        }
        if (gateway && batch != 1) {
            throw new ParameterException(spec.commandLine(), "--protocol " + protocol + " asks one check per request: "
                    + "--batch must be 1");
        }
        if (duration.isZero() || rate < 0) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive and --rate not negative");
        }
    }

    private String text(LoadTarget target, List<Check> workload, LoadRun.Result result, Duration warm) {
        Histogram latency = result.latencyNanos();
        long all = result.decisions()[0] + result.decisions()[1] + result.decisions()[2];
        StringBuilder text = new StringBuilder();
        text.append("gavel load: ").append(target.describe()).append('\n');
        text.append(String.format(Locale.ROOT, "workload     %,d requests sampled from the server (seed %d): %,d "
                + "principals, %,d actions, %,d resources%n", workload.size(), seed, distinct(workload, 0),
                distinct(workload, 1), distinct(workload, 2)));
        text.append(String.format(Locale.ROOT, "run          %d connection%s, %d check%s per request, pipeline %d, %s, "
                + "%.2f s after %.2f s of warm-up%n", connections, connections == 1 ? "" : "s", batch,
                batch == 1 ? "" : "s", pipeline, rate > 0 ? String.format(Locale.ROOT, "open loop at %,.0f checks/s",
                rate) : "closed loop", result.seconds(), warm.toMillis() / 1e3));
        text.append(String.format(Locale.ROOT, "throughput   %,.0f checks/s (%,.0f requests/s)%n",
                result.checksPerSecond(), result.requestsPerSecond()));
        text.append(String.format(Locale.ROOT, "latency      p50 %s  p90 %s  p99 %s  p99.9 %s  max %s µs per request%n",
                micros(latency, 50), micros(latency, 90), micros(latency, 99), micros(latency, 99.9),
                micros(latency.getMaxValue())));
        text.append(String.format(Locale.ROOT, "answers      allowed %.1f%%  explicitDeny %.1f%%  implicitDeny %.1f%% of "
                + "%,d checks; %,d errors, %,d busy", percent(result.decisions()[0], all),
                percent(result.decisions()[1], all), percent(result.decisions()[2], all), result.checks(),
                result.errors(), result.busy()));
        return text.toString();
    }

    private String json(LoadTarget target, List<Check> workload, LoadRun.Result result, Duration warm) {
        StringWriter text = new StringWriter();
        Histogram latency = result.latencyNanos();
        try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("protocol", protocol.name());
            out.writeStringField("server", target.describe());
            out.writeNumberField("checksPerSecond", Math.round(result.checksPerSecond()));
            out.writeNumberField("requestsPerSecond", Math.round(result.requestsPerSecond()));
            out.writeObjectFieldStart("latencyUs");
            out.writeNumberField("p50", latency.getValueAtPercentile(50) / 1e3);
            out.writeNumberField("p90", latency.getValueAtPercentile(90) / 1e3);
            out.writeNumberField("p99", latency.getValueAtPercentile(99) / 1e3);
            out.writeNumberField("p999", latency.getValueAtPercentile(99.9) / 1e3);
            out.writeNumberField("max", latency.getMaxValue() / 1e3);
            out.writeEndObject();
            out.writeNumberField("connections", connections);
            out.writeNumberField("batch", batch);
            out.writeNumberField("pipeline", pipeline);
            out.writeNumberField("rate", rate);
            out.writeNumberField("durationSeconds", Math.round(result.seconds() * 1e3) / 1e3);
            out.writeNumberField("warmupSeconds", warm.toMillis() / 1e3);
            out.writeNumberField("requests", result.requests());
            out.writeNumberField("checks", result.checks());
            out.writeNumberField("errors", result.errors());
            out.writeNumberField("busy", result.busy());
            out.writeObjectFieldStart("decisions");
            out.writeNumberField("allowed", result.decisions()[0]);
            out.writeNumberField("explicitDeny", result.decisions()[1]);
            out.writeNumberField("implicitDeny", result.decisions()[2]);
            out.writeEndObject();
            out.writeObjectFieldStart("workload");
            out.writeNumberField("requests", workload.size());
            out.writeNumberField("principals", distinct(workload, 0));
            out.writeNumberField("actions", distinct(workload, 1));
            out.writeNumberField("resources", distinct(workload, 2));
            out.writeNumberField("seed", seed);
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    private static int distinct(List<Check> workload, int field) {
        Set<String> values = new HashSet<>();
        for (Check check : workload) {
            values.add(field == 0 ? check.principal() : field == 1 ? check.action().toLowerCase(Locale.ROOT)
                    : check.resource());
        }
        return values.size();
    }

    private static String micros(Histogram latency, double percentile) {
        return micros(latency.getValueAtPercentile(percentile));
    }

    private static String micros(long nanos) {
        return nanos >= 100_000 ? String.format(Locale.ROOT, "%,d", nanos / 1_000)
                : String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static double percent(long part, long all) {
        return all == 0 ? 0 : 100.0 * part / all;
    }
}
