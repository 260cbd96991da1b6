package dev.gavel.bench;

import dev.gavel.Engine;
import dev.gavel.sidecar.http.HttpApi;
import dev.gavel.sidecar.http.HttpConfig;
import dev.gavel.sidecar.http.Status;
import dev.gavel.sidecar.load.HttpChannel;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP checks per second: the HTTP API ({@link HttpApi}, as {@code gavel serve} runs it) on a
 * Unix socket over the demo directory, driven by clients on keep-alive connections, each sending
 * one {@code POST /v1/authorize} and waiting for its answer before the next (no pipelining).
 * The clients are {@link HttpChannel}s, {@code gavel load}'s minimal HTTP/1.1 connections, so
 * that nearly all the time measured is the server's; they run in the same JVM and on the same
 * cores as the server, as a sidecar and its caller share a host.
 *
 * <p>Measured: one connection; {@code connections} connections on as many threads; and one
 * connection sending batches of 16 checks ({@code POST /v1/authorize/batch}). First a warm-up
 * of all three until the JIT has compiled the paths (on two busy cores that takes seconds: a
 * short one reads the single connection at half its rate), then each for its measured time
 * after a short warm-up of its own; the figure is checks answered divided by the measured
 * time. Run alone:
 * {@code java -cp benchmarks/target/gavel-benchmarks.jar dev.gavel.bench.HttpThroughput [SECONDS [CONNECTIONS]]}.
 */
public final class HttpThroughput {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String DATA = "arn:aws:s3:::example-payments-data/orders/2026-11-27.csv";
    /** Allowed, implicitly denied, explicitly denied: the three paths, in turn. */
    private static final String[] CHECKS = {
        check("s3:GetObject", "eu-west-1"), check("s3:DeleteObject", "eu-west-1"), check("s3:GetObject", "ap-southeast-2")};
    private static final int BATCH = 16;

    private HttpThroughput() {}

    private static String check(String action, String region) {
        return "{\"principal\":\"" + ALICE + "\",\"action\":\"" + action + "\",\"resource\":\"" + DATA
                + "\",\"context\":{\"aws:SecureTransport\":\"true\",\"aws:RequestedRegion\":\"" + region + "\"}}";
    }

    private static String batch() {
        StringBuilder body = new StringBuilder("{\"principal\":\"" + ALICE + "\",\"requests\":[");
        for (int i = 0; i < BATCH; i++) {
            body.append(i == 0 ? "" : ",").append("{\"action\":\"s3:GetObject\",\"resource\":\"").append(DATA)
                    .append(i).append("\",\"context\":{\"aws:SecureTransport\":\"true\",\"aws:RequestedRegion\":")
                    .append("\"eu-west-1\"}}");
        }
        return body.append("]}").toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Checks per second over {@code connections} connections for {@code seconds}, after a warm-up. */
    static double run(Path socket, int connections, boolean batched, double warmupSeconds, double seconds)
            throws Exception {
        LongAdder checks = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            Thread thread = new Thread(() -> {
                byte[][] requests;
                if (batched) {
                    requests = new byte[][] {HttpChannel.post("/v1/authorize/batch", utf8(batch()))};
                } else {
                    requests = new byte[CHECKS.length][];
                    for (int i = 0; i < CHECKS.length; i++) {
                        requests[i] = HttpChannel.post("/v1/authorize", utf8(CHECKS[i]));
                    }
                }
                int perRequest = batched ? BATCH : 1;
                try (HttpChannel connection = HttpChannel.open(socket)) {
                    for (long i = offset; running.get(); i++) {
                        int status = connection.exchange(requests[(int) (i % requests.length)]).status();
                        if (status != 200) {
                            throw new IllegalStateException("HTTP " + status);
                        }
                        if (counting.get()) {
                            checks.add(perRequest);
                        }
                    }
                } catch (Exception | Error e) {
                    failures.add(e);
                }
            }, "http-client-" + c);
            threads.add(thread);
            thread.start();
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        counting.set(false);
        long elapsed = System.nanoTime() - start;
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed", failures.get(0));
        }
        return checks.sum() / (elapsed / 1e9);
    }

    /** Runs every shape for a while, for the JIT. */
    static void warmUp(Path socket, int connections, double seconds) throws Exception {
        run(socket, 1, false, 0, seconds / 3);
        run(socket, connections, false, 0, seconds / 3);
        run(socket, 1, true, 0, seconds / 3);
    }

    /** Starts the API on the demo directory, measures, and adds the figures to the summary. */
    static void measure(boolean quick, Map<String, Object> summary) throws Exception {
        double warmup = 2;
        double seconds = quick ? 3 : 8;
        int connections = 4;
        Path folder = Files.createTempDirectory("gavel-http-bench");
        Path socket = folder.resolve("gavel.sock");
        try (Engine engine = Engine.open(Path.of("corpus", "demo"))) {
            HttpApi api = new HttpApi(HttpConfig.of(socket), engine, engine::reload,
                    () -> Status.ready("corpus/demo", Instant.now()), new Metrics(), DecisionLog.off());
            api.start();
            try {
                warmUp(socket, connections, quick ? 9 : 15);
                double one = run(socket, 1, false, warmup, seconds);
                double many = run(socket, connections, false, warmup, seconds);
                double batched = run(socket, 1, true, warmup, seconds);
                System.out.printf(Locale.ROOT, "HTTP checks/s: %,.0f on one connection, %,.0f on %d connections, "
                        + "%,.0f in batches of %d on one connection%n", one, many, connections, batched, BATCH);
                summary.put("httpChecksPerSecond", Math.round(one));
                summary.put("httpChecksPerSecondConnections" + connections, Math.round(many));
                summary.put("httpBatchedChecksPerSecond", Math.round(batched));
            } finally {
                api.stop();
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(folder);
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path folder = Files.createTempDirectory("gavel-http-bench");
        Path socket = folder.resolve("gavel.sock");
        try (Engine engine = Engine.open(Path.of("corpus", "demo"))) {
            HttpApi api = new HttpApi(HttpConfig.of(socket), engine, engine::reload,
                    () -> Status.ready("corpus/demo", Instant.now()), new Metrics(), DecisionLog.off());
            api.start();
            try {
                warmUp(socket, connections, 15);
                for (int round = 0; round < 2; round++) {
                    double one = run(socket, 1, false, 2, seconds);
                    double many = run(socket, connections, false, 2, seconds);
                    double batched = run(socket, 1, true, 2, seconds);
                    System.out.printf(Locale.ROOT, "round %d: %,.0f checks/s on one connection, %,.0f on %d "
                            + "connections, %,.0f in batches of %d%n", round + 1, one, many, connections, batched, BATCH);
                }
            } finally {
                api.stop();
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(folder);
        }
    }
}
