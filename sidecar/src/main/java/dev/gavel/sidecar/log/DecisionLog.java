package dev.gavel.sidecar.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.eval.Decision;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decision log: one JSON line per decision, appended to a file, for audit.
 *
 * <pre>
 * {"decisionId":"9f86d081884c7d65-2a","time":"2026-01-01T12:00:00.123Z","principal":"arn:aws:iam::111122223333:user/alice",
 *  "accessKeyId":"AKIA...","action":"s3:GetObject","resource":"arn:aws:s3:::bucket/key","decision":"allowed","version":3}
 * </pre>
 *
 * <p>{@link #record} never waits and never does I/O: it offers the entry to a bounded queue (the
 * JDK's array queue, whose lock is held for the few instructions of an insert), and one writer
 * thread drains the queue in batches, writes and flushes. When the queue is full the entry is
 * dropped and counted ({@code gavel_decision_log_dropped_total}): a slow disk costs log entries,
 * never check latency. (Agrona's lock-free queue would spare the lock, but Agrona 2 needs
 * {@code --add-exports java.base/jdk.internal.misc} on every JVM that loads it.)
 * The log holds no secret by construction: its entries have no field for a session token or a
 * secret key (an access key id is an identifier, as in CloudTrail, and may be written).
 *
 * <p>{@link #close} stops taking entries, writes what is queued, flushes and closes the file.
 * {@link #off()} is a log that records nothing, for when no file is configured. Thread-safe.
 */
public final class DecisionLog implements AutoCloseable {

    /** Entries the queue holds by default before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 65_536;
    /** How many entries the writer takes from the queue before it writes and looks again. */
    private static final int DRAIN_LIMIT = 4_096;
    /** How long the idle writer waits for an entry before it looks whether the log is closing. */
    private static final long IDLE_WAIT_MILLIS = 20;
    /** How long {@link #close} waits for the writer to finish. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    /** One decision, as recorded; its time is the recording's, in milliseconds since the epoch. */
    private record Entry(String decisionId, long time, String principal, String accessKeyId, String action,
            String resource, Decision decision, long version) {}

    private static final DecisionLog OFF = new DecisionLog();

    private final Path file;
    private final ArrayBlockingQueue<Entry> queue;
    private final Metrics metrics;
    private final JsonGenerator json;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closing;
    private IOException failure;

    private DecisionLog() {
        file = null;
        queue = null;
        metrics = null;
        json = null;
        writer = null;
    }

    DecisionLog(Path file, OutputStream out, int capacity, Metrics metrics) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("the decision log's capacity must be at least 1, found " + capacity);
        }
        this.file = file;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        JsonFactory factory = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
        this.json = factory.createGenerator(out);
        this.writer = new Thread(this::drain, "gavel-decision-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** A log that records nothing. */
    public static DecisionLog off() {
        return OFF;
    }

    /**
     * Opens (creates, or appends to) the log file and starts its writer thread.
     *
     * @param capacity how many entries may wait to be written before new ones are dropped
     */
    public static DecisionLog open(Path file, int capacity, Metrics metrics) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("the decision log's capacity must be at least 1, found " + capacity);
        }
        // The log names principals and resources: readable by its owner only when it is created.
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))), 1 << 16);
        return new DecisionLog(file, out, capacity, metrics);
    }

    /** Whether entries are written anywhere. */
    public boolean enabled() {
        return queue != null;
    }

    /** The file written to, or null when the log is off. */
    public Path file() {
        return file;
    }

    /**
     * Records a decision; returns at once. Dropped and counted when the queue is full or the log
     * is closed.
     *
     * @param principal the principal's ARN
     * @param accessKeyId the access key the request was signed with, or null; never a secret
     */
    public void record(String decisionId, String principal, String accessKeyId, String action, String resource,
            Decision decision, long version) {
        if (queue == null) {
            return;
        }
        if (closing || !queue.offer(new Entry(decisionId, System.currentTimeMillis(), principal, accessKeyId, action,
                resource, decision, version))) {
            drop();
        }
    }

    /** Entries dropped so far. */
    public long dropped() {
        return dropped.get();
    }

    /** Entries written so far. */
    public long written() {
        return written.get();
    }

    private void drop() {
        dropped.incrementAndGet();
        metrics.recordLogDrop();
    }

    /** The writer thread: drains the queue in batches and flushes when it runs dry. */
    private void drain() {
        List<Entry> batch = new ArrayList<>(DRAIN_LIMIT);
        while (true) {
            Entry first;
            try {
                first = queue.poll(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            write(first);
            queue.drainTo(batch, DRAIN_LIMIT);
            for (int i = 0; i < batch.size(); i++) {
                write(batch.get(i));
            }
            batch.clear();
            if (queue.isEmpty()) {
                flush();
            }
        }
    }

    private void write(Entry entry) {
        if (failure != null) {
            drop();
            return;
        }
        try {
            json.writeStartObject();
            json.writeStringField("decisionId", entry.decisionId());
            json.writeStringField("time", Instant.ofEpochMilli(entry.time()).toString());
            json.writeStringField("principal", entry.principal());
            if (entry.accessKeyId() != null) {
                json.writeStringField("accessKeyId", entry.accessKeyId());
            }
            json.writeStringField("action", entry.action());
            json.writeStringField("resource", entry.resource());
            json.writeStringField("decision", entry.decision().jsonName());
            json.writeNumberField("version", entry.version());
            json.writeEndObject();
            json.writeRaw('\n');
            written.incrementAndGet();
            metrics.recordLogWritten(1);
        } catch (IOException e) {
            fail(e);
            drop();
        }
    }

    private void flush() {
        if (failure != null) {
            return;
        }
        try {
            json.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** A write failed (a full disk, a removed mount): report once, then drop and count every entry. */
    private void fail(IOException e) {
        failure = e;
        System.err.println("gavel: the decision log " + file + " cannot be written, and its entries are dropped from "
                + "now on: " + e.getMessage());
    }

    /**
     * Stops taking entries, writes what is queued, flushes and closes the file. An entry recorded
     * while the log closes is written or counted as dropped.
     */
    @Override
    public synchronized void close() {
        if (queue == null || closing) {
            return;
        }
        closing = true;
        try {
            writer.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            // Stuck on a write: the file cannot be closed under it; the process exit will.
            System.err.println("gavel: the decision log " + file + " did not finish writing in "
                    + CLOSE_WAIT_MILLIS / 1000 + " s");
            return;
        }
        while (queue.poll() != null) {
            drop();
        }
        try {
            json.close();
        } catch (IOException e) {
            System.err.println("gavel: closing the decision log " + file + ": " + e.getMessage());
        }
    }
}
