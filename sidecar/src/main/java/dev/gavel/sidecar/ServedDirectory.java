package dev.gavel.sidecar;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.sidecar.http.Status;
import dev.gavel.sidecar.metrics.Metrics;
import dev.gavel.sidecar.source.DirectorySource;
import dev.gavel.sidecar.source.SourceException;
import dev.gavel.sidecar.source.SourceStatus;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * The server's engine kept up to date from its {@link DirectorySource}: each new directory the
 * source delivers is swapped in, each failure is reported once and changes nothing, and what is
 * served (the engine's snapshot version beside the source's content version) is there for the
 * status endpoint, the metrics and the log.
 */
final class ServedDirectory implements DirectorySource.Listener, AutoCloseable {

    private final DirectorySource source;
    private final Engine engine;
    private final Metrics metrics;
    private final PrintWriter log;
    private final Instant startedAt = Instant.now();
    /** The thread in {@link #reloadNow()}, whose outcome the HTTP API counts itself. */
    private volatile Thread reloading;

    private ServedDirectory(DirectorySource source, Engine engine, Metrics metrics, PrintWriter log) {
        this.source = source;
        this.engine = engine;
        this.metrics = metrics;
        this.log = log;
    }

    /** Loads the source's directory into a new engine; nothing is started yet. */
    static ServedDirectory load(DirectorySource source, Metrics metrics, PrintWriter log) throws SourceException {
        Directory directory = source.load();
        ServedDirectory served = new ServedDirectory(source, Engine.of(directory), metrics, log);
        metrics.setVersion(served.engine.version());
        GaugeWithCallback.builder().name("gavel_directory_info")
                .help("The directory served: its content version, the same on every instance serving the same "
                        + "content").labelNames("content_version")
                .callback(callback -> {
                    String version = source.contentVersion();
                    if (version != null) {
                        callback.call(1, version);
                    }
                }).register(metrics.registry());
        GaugeWithCallback.builder().name("gavel_directory_source_failures")
                .help("Checks of the directory's source that failed in a row (0 when the latest succeeded)")
                .callback(callback -> callback.call(source.status().consecutiveFailures()))
                .register(metrics.registry());
        return served;
    }

    Engine engine() {
        return engine;
    }

    DirectorySource source() {
        return source;
    }

    /** Starts checking the source for new versions. */
    void start() {
        source.start(this);
    }

    /**
     * Checks the source now, for {@code POST /v1/reload}: returns the snapshot version served
     * after the check, or throws with the reason the check failed (the old snapshot keeps serving).
     */
    long reloadNow() {
        DirectorySource.Outcome outcome;
        reloading = Thread.currentThread();
        try {
            outcome = source.poll();
        } finally {
            reloading = null;
        }
        if (outcome == DirectorySource.Outcome.FAILED) {
            SourceStatus status = source.status();
            throw new IllegalArgumentException(status.failure() == null ? "the check of " + source.description()
                    + " failed" : status.failure());
        }
        return engine.version();
    }

    /** What the HTTP API reports about the server and its directory. */
    Status status() {
        return new Status(true, source.description(), startedAt, source.status());
    }

    @Override
    public void updated(Directory directory, String contentVersion) {
        long version = engine.reload(directory);
        if (reloading != Thread.currentThread()) {
            metrics.recordReload(true);
        }
        metrics.setVersion(version);
        say("serving " + contentVersion + " as snapshot " + version);
    }

    @Override
    public void failed(SourceException failure) {
        if (reloading != Thread.currentThread()) {
            metrics.recordReload(false);
        }
        say(failure.report() + "\n  still serving " + source.contentVersion() + " as snapshot " + engine.version());
    }

    @Override
    public void recovered(SourceStatus status) {
        say(source.description() + " checks succeed again; serving " + status.contentVersion() + " as snapshot "
                + engine.version());
    }

    @Override
    public void close() {
        source.close();
    }

    private void say(String line) {
        synchronized (log) {
            log.println("gavel serve: " + line);
            log.flush();
        }
    }
}
