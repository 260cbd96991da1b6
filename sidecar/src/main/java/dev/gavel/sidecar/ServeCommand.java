package dev.gavel.sidecar;

import dev.gavel.Engine;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.LoadProblem;
import dev.gavel.sidecar.binary.BinaryLimits;
import dev.gavel.sidecar.binary.BinaryListener;
import dev.gavel.sidecar.binary.ServerStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gavel serve}: one engine behind the sidecar's listeners until SIGTERM. The engine comes
 * from {@link Source}; each listener from its own options ({@link #listeners}), so that a new way
 * in is one option group and one line there.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Answer checks for other processes over a Unix socket.",
            "",
            "Loads the directory, binds the socket (mode --socket-mode, set before anyone can",
            "connect; a stale socket file is replaced, a live one refused), prints one line",
            "when ready, and serves until SIGTERM or SIGINT, when it stops accepting, answers",
            "the requests it has received and exits. The directory is watched and reloaded",
            "when its files change; a reload that fails is reported and the old snapshot",
            "keeps serving. docs/protocol.md describes the binary protocol.",
            ""
        })
public final class ServeCommand implements Callable<Integer> {

    /** Where the engine's directory comes from. */
    static final class Source {
        @Option(names = "--directory", paramLabel = "DIR", required = true,
                description = "The directory to serve: a folder, or one 'aws iam get-account-authorization-details' file.")
        Path directory;
    }

    /** The binary protocol's socket and limits. */
    static final class BinaryOptions {
        @Option(names = "--socket", paramLabel = "PATH",
                description = "Serve the binary protocol on this Unix socket (keep the path under about 100 bytes).")
        Path socket;

        @Option(names = "--max-connections", paramLabel = "N",
                description = "Connections served at once (default: " + BinaryLimits.DEFAULT_MAX_CONNECTIONS + ").")
        int maxConnections = BinaryLimits.DEFAULT_MAX_CONNECTIONS;

        @Option(names = "--max-frame-bytes", paramLabel = "BYTES",
                description = "Longest request frame (default: " + BinaryLimits.DEFAULT_MAX_FRAME_BYTES + ").")
        int maxFrameBytes = BinaryLimits.DEFAULT_MAX_FRAME_BYTES;

        @Option(names = "--max-batch", paramLabel = "N",
                description = "Most checks in one request (default: " + BinaryLimits.DEFAULT_MAX_BATCH + ").")
        int maxBatch = BinaryLimits.DEFAULT_MAX_BATCH;

        @Option(names = "--max-in-flight", paramLabel = "N",
                description = "Most unread answers per connection before requests are answered BUSY (default: "
                        + BinaryLimits.DEFAULT_MAX_IN_FLIGHT + ").")
        int maxInFlight = BinaryLimits.DEFAULT_MAX_IN_FLIGHT;

        @Option(names = "--max-answer-bytes", paramLabel = "BYTES",
                description = "Unsent answers past which a connection is not read, and the longest answer (default: "
                        + BinaryLimits.DEFAULT_MAX_ANSWER_BYTES + ").")
        int maxAnswerBytes = BinaryLimits.DEFAULT_MAX_ANSWER_BYTES;

        @Option(names = "--stall-timeout", paramLabel = "TIME", converter = DurationConverter.class,
                description = "Drop a client that reads none of its answers for this long (default: 10s).")
        Duration stallTimeout = BinaryLimits.DEFAULT_STALL_TIMEOUT;

        @Option(names = "--io-threads", paramLabel = "N",
                description = "Threads that read, decide and write (default: the cores, at most 4; here "
                        + "${DEFAULT-VALUE}).")
        int ioThreads = BinaryLimits.DEFAULT_IO_THREADS;

        @Option(names = "--principal-cache", paramLabel = "N",
                description = "Prepared principals kept, by ARN or credentials (default: "
                        + BinaryLimits.DEFAULT_PRINCIPAL_CACHE_SIZE + ").")
        int principalCache = BinaryLimits.DEFAULT_PRINCIPAL_CACHE_SIZE;

        BinaryLimits limits() {
            return new BinaryLimits(maxConnections, maxFrameBytes, maxBatch, maxInFlight, maxAnswerBytes, stallTimeout,
                    ioThreads, principalCache);
        }
    }

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Source:%n")
    private Source source;

    @ArgGroup(exclusive = false, heading = "Binary protocol:%n")
    private BinaryOptions binary = new BinaryOptions();

    @Option(names = "--socket-mode", paramLabel = "MODE", defaultValue = "0600",
            description = "File mode of the sockets, in octal (default: ${DEFAULT-VALUE}: this user only).")
    private String socketMode;

    @Option(names = "--drain-timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "5s",
            description = "On SIGTERM, how long to wait for requests in flight (default: ${DEFAULT-VALUE}).")
    private Duration drainTimeout;

    @Option(names = "--watch-interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "2s",
            description = "How often the directory's files are compared for a reload; 0ms turns watching off "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration watchInterval;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<PosixFilePermission> mode = parseMode();
        Engine engine = openEngine(err);
        if (engine == null) {
            return 2;
        }
        Sidecar sidecar = new Sidecar(engine);
        try {
            listeners(sidecar, mode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            sidecar.start();
        } catch (IOException e) {
            err.println("gavel serve: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (!watchInterval.isZero()) {
            engine.watch(watchInterval, failure -> {
                err.println("gavel serve: the directory changed but did not load; still serving snapshot "
                        + engine.version() + ":");
                failure.problems().forEach(problem -> err.println(problem.format()));
                err.flush();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sidecar.shutdown(drainTimeout);
            out.println("gavel serve: stopped; " + summary(sidecar));
            out.flush();
        }, "gavel-shutdown"));
        StringBuilder ready = new StringBuilder("gavel serve: ready; ");
        for (Listener listener : sidecar.listeners()) {
            ready.append(listener.describe()).append("; ");
        }
        ready.append("directory ").append(source.directory).append(", snapshot ").append(engine.version());
        out.println(ready);
        out.flush();
        sidecar.awaitShutdown();
        return 0;
    }

    /** Adds a listener for each way in that the options ask for; at least one is needed. */
    private void listeners(Sidecar sidecar, Set<PosixFilePermission> mode) {
        if (binary != null && binary.socket != null) {
            sidecar.add(new BinaryListener(sidecar.engine(), binary.socket, mode, binary.limits(), serverVersion()));
        }
        if (sidecar.listeners().isEmpty()) {
            throw new IllegalArgumentException("nothing to serve on: give --socket PATH");
        }
    }

    private Engine openEngine(PrintWriter err) {
        try {
            return Engine.open(source.directory);
        } catch (DirectoryException e) {
            for (LoadProblem problem : e.problems()) {
                err.println(problem.format());
            }
            err.println("gavel serve: the directory " + source.directory + " did not load: " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems"));
            err.flush();
            return null;
        }
    }

    private Set<PosixFilePermission> parseMode() {
        try {
            return UnixSockets.mode(socketMode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--socket-mode: " + e.getMessage());
        }
    }

    private static String summary(Sidecar sidecar) {
        StringBuilder text = new StringBuilder();
        for (Listener listener : sidecar.listeners()) {
            if (listener instanceof BinaryListener binaryListener) {
                ServerStats stats = binaryListener.stats();
                text.append(String.format(Locale.ROOT, "binary protocol: %,d connections (%,d refused), %,d requests, "
                        + "%,d checks", stats.accepted(), stats.refused(), stats.requests(), stats.checks()));
                if (stats.bytesPerCheck() >= 0) {
                    text.append(String.format(Locale.ROOT, "; I/O threads allocated %.2f bytes per check in their last "
                            + "busy second", stats.bytesPerCheck()));
                }
            }
        }
        return text.toString();
    }

    static String serverVersion() {
        String version = ServeCommand.class.getPackage().getImplementationVersion();
        return "gavel " + (version == null ? "(development build)" : version);
    }
}
