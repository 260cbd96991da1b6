package dev.gavel.sidecar.binary;

import dev.gavel.sidecar.protocol.ErrorCode;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** What the binary listener has done since it started: counters shared by its threads. */
public final class ServerStats {

    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder checks = new LongAdder();
    final LongAdder stalled = new LongAdder();
    private final AtomicLongArray errors = new AtomicLongArray(ErrorCode.values().length);
    private final double[] bytesPerCheck;

    ServerStats(int ioThreads) {
        bytesPerCheck = new double[ioThreads];
        java.util.Arrays.fill(bytesPerCheck, -1);
    }

    void error(ErrorCode code) {
        errors.incrementAndGet(code.ordinal());
    }

    void bytesPerCheck(int ioThread, double value) {
        synchronized (bytesPerCheck) {
            bytesPerCheck[ioThread] = value;
        }
    }

    /** Connections accepted. */
    public long accepted() {
        return accepted.sum();
    }

    /** Connections refused because the listener held its most. */
    public long refused() {
        return refused.sum();
    }

    /** Requests answered, errors included. */
    public long requests() {
        return requests.sum();
    }

    /** Checks decided. */
    public long checks() {
        return checks.sum();
    }

    /** Connections closed because their client stopped reading its answers. */
    public long stalled() {
        return stalled.sum();
    }

    /** Error frames sent with this code. */
    public long errors(ErrorCode code) {
        return errors.get(code.ordinal());
    }

    /**
     * Bytes an I/O thread allocated per check it decided over its latest second with more than
     * 10,000 checks (read from the JVM's per-thread counters), the most of any I/O thread; -1
     * before there is such a second.
     */
    public double bytesPerCheck() {
        synchronized (bytesPerCheck) {
            double most = -1;
            for (double value : bytesPerCheck) {
                most = Math.max(most, value);
            }
            return most;
        }
    }
}
