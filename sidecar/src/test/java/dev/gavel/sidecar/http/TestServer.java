package dev.gavel.sidecar.http;

import dev.gavel.Engine;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The HTTP API over a copy of the demo directory (so that tests may break it and reload), on a
 * Unix socket in a temporary folder, as {@code gavel serve} would wire it.
 */
final class TestServer implements AutoCloseable {

    static final Path DEMO = Path.of("corpus", "demo");

    final Path folder;
    final Path directory;
    final Engine engine;
    final Metrics metrics = new Metrics();
    final DecisionLog log;
    final AtomicBoolean ready = new AtomicBoolean(true);
    /** What {@code POST /v1/reload} runs: the engine's reload unless a test says otherwise. */
    volatile Callable<Long> reload;
    /** When set, the status supplier throws it: a bug for the API to survive. */
    volatile RuntimeException statusFailure;
    final HttpApi api;
    final ApiClient client;

    TestServer(Path folder, Path logFile, UnaryOperator<HttpConfig> configure) throws Exception {
        this.folder = folder;
        this.directory = copy(DEMO, folder.resolve("demo"));
        this.engine = Engine.open(directory);
        this.log = logFile == null ? DecisionLog.off() : DecisionLog.open(logFile, DecisionLog.DEFAULT_CAPACITY, metrics);
        Instant started = Instant.now();
        this.reload = engine::reload;
        this.api = new HttpApi(configure.apply(HttpConfig.of(folder.resolve("gavel.sock"))), engine,
                () -> reload.call(), () -> status(started), metrics, log);
        api.start();
        this.client = ApiClient.unix(api.socket());
    }

    TestServer(Path folder) throws Exception {
        this(folder, null, config -> config);
    }

    private Status status(Instant started) {
        RuntimeException failure = statusFailure;
        if (failure != null) {
            throw failure;
        }
        return new Status(ready.get(), directory.toString(), started);
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    @Override
    public void close() {
        client.close();
        api.stop();
        log.close();
        engine.close();
    }
}
