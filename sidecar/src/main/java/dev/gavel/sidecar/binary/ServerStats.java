package dev.gavel.sidecar.binary;

import dev.gavel.eval.Decision;
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
    private final LongAdder[] decisions = {new LongAdder(), new LongAdder(), new LongAdder()};
    final LongAdder failedClosed = new LongAdder();
    private final AtomicLongArray errors = new AtomicLongArray(ErrorCode.values().length);
    private final double[] bytesPerCheck;

    ServerStats(int ioThreads) {
        bytesPerCheck = new double[ioThreads];
        java.util.Arrays.fill(bytesPerCheck, -1);
    }

    void decided(Decision decision) {
        decisions[decision.ordinal()].increment();
    }

    /** A check answered implicitDeny without deciding: its principal or action did not resolve. */
    void refusedCheck() {
        decisions[Decision.IMPLICIT_DENY.ordinal()].increment();
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

    /** Checks answered with this decision, failed-closed ones and refused ones included. */
    public long decisions(Decision decision) {
        return decisions[decision.ordinal()].sum();
    }

    /** Checks that failed closed: an internal error, or a principal that vanished or expired. */
    public long failedClosed() {
        return failedClosed.sum();
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
