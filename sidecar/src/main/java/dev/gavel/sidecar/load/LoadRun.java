package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.ConnectionClosedException;
import dev.gavel.sidecar.client.GavelClientException;
import dev.gavel.sidecar.protocol.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A load run: {@code connections} threads, each on its own connection, sending requests of
 * {@code batch} checks with up to {@code pipeline} of them unanswered. Each connection prepares
 * its requests once and cycles through them.
 *
 * <p><b>Closed loop</b> (no rate): requests go as soon as answers free a quarter of the slots,
 * all the free slots' requests in one write; latency is from sending to the answer. With a pipeline of 1 the
 * thread waits for each answer itself. <b>Open loop</b> ({@code rate} checks per second):
 * requests are due at fixed intervals whether or not earlier ones were answered, and latency is
 * measured from when each was due, so a server that falls behind shows it (no coordinated
 * omission). A request that finds all its slots taken waits, and the wait counts.
 */
final class LoadRun {

    /** What a run measured, after its warm-up. */
    record Result(double seconds, long requests, long checks, long errors, long busy, long[] decisions,
            Histogram latencyNanos) {

        double checksPerSecond() {
            return seconds > 0 ? checks / seconds : 0;
        }

        double requestsPerSecond() {
            return seconds > 0 ? requests / seconds : 0;
        }
    }

    private final LoadTarget target;
    private final List<Check> workload;
    private final int connections;
    private final int batch;
    private final int pipeline;
    private final double rate;

    private final Recorder latency = new Recorder(3);
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder busy = new LongAdder();
    private final LongAdder[] decisions = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile ConnectionClosedException failure;

    LoadRun(LoadTarget target, List<Check> workload, int connections, int batch, int pipeline, double rate) {
        this.target = target;
        this.workload = workload;
        this.connections = connections;
        this.batch = batch;
        this.pipeline = pipeline;
        this.rate = rate;
    }

    /** What the first error was, or null when there was none. */
    String firstError() {
        return firstError.get();
    }

    /** The connection failure that ended the run early, or null. */
    ConnectionClosedException failure() {
        return failure;
    }

    Result run(Duration warmup, Duration duration) throws IOException, InterruptedException {
        List<LoadConnection<?>> open = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) {
                open.add(target.connect());
            }
            for (int c = 0; c < connections; c++) {
                Driver<?> driver = driver(open.get(c), (int) ((long) c * workload.size() / connections));
                Thread thread = new Thread(driver::drive, "gavel-load-" + c);
                thread.setDaemon(true);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
            Thread.sleep(warmup.toMillis());
            long[] before = snapshot();
            latency.getIntervalHistogram();
            long start = System.nanoTime();
            Thread.sleep(duration.toMillis());
            long[] after = snapshot();
            Histogram measured = latency.getIntervalHistogram();
            double seconds = (System.nanoTime() - start) / 1e9;
            running = false;
            for (Thread thread : threads) {
                thread.join(5_000);
            }
            long[] decided = {after[3] - before[3], after[4] - before[4], after[5] - before[5]};
            // Checks are counted by their decisions alone, so that the two always agree: counted
            // apart, a snapshot taken while answers arrive could see one without the other.
            return new Result(seconds, after[0] - before[0], decided[0] + decided[1] + decided[2],
                    after[1] - before[1], after[2] - before[2], decided, measured);
        } finally {
            running = false;
            open.forEach(LoadConnection::close);
        }
    }

    private <R> Driver<R> driver(LoadConnection<R> connection, int first) throws IOException {
        List<R> prepared = new ArrayList<>();
        int size = workload.size();
        int count = Math.max(1, size / batch);
        for (int r = 0; r < count; r++) {
            List<Check> request = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                request.add(workload.get((first + r * batch + i) % size));
            }
            prepared.add(connection.prepare(request));
        }
        return new Driver<>(connection, prepared);
    }

    private long[] snapshot() {
        return new long[] {requests.sum(), errors.sum(), busy.sum(), decisions[0].sum(),
            decisions[1].sum(), decisions[2].sum()};
    }

    /** One connection's loop over its prepared requests. */
    private final class Driver<R> {
        private final LoadConnection<R> connection;
        private final List<R> prepared;
        private final Semaphore slots = new Semaphore(pipeline);
        private final List<R> burst = new ArrayList<>();
        private int next;

        Driver(LoadConnection<R> connection, List<R> prepared) {
            this.connection = connection;
            this.prepared = prepared;
        }

        private R nextRequest() {
            R request = prepared.get(next);
            next = next + 1 == prepared.size() ? 0 : next + 1;
            return request;
        }

        void drive() {
            if (rate > 0) {
                openLoop();
            } else if (pipeline == 1) {
                while (running) {
                    long sent = System.nanoTime();
                    try {
                        answered(connection.send(nextRequest()), null, sent);
                    } catch (IOException e) {
                        answered(null, e, sent);
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            } else {
                closedPipeline();
            }
        }

        /**
         * Sends as many requests as there are free slots, in one write, once a quarter of the
         * pipeline is free: refilling it one slot at a time made a write, and a wake-up of this
         * thread, per request, and left the server idle between them.
         */
        private void closedPipeline() {
            int refill = Math.max(1, pipeline / 4);
            while (running) {
                try {
                    if (!slots.tryAcquire(refill, 1, TimeUnit.SECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                int count = refill + slots.drainPermits();
                burst.clear();
                for (int i = 0; i < count; i++) {
                    burst.add(nextRequest());
                }
                long sent = System.nanoTime();
                for (CompletableFuture<List<CheckResult>> answer : connection.sendAsync(burst)) {
                    answer.whenComplete((answers, error) -> {
                        answered(answers, error, sent);
                        slots.release();
                    });
                }
            }
        }

        /** Sends each request when it is due, whatever came back; latency counts from when it was due. */
        private void openLoop() {
            long interval = Math.max(1, (long) (1e9 * connections * batch / rate));
            long due = System.nanoTime();
            while (running) {
                due += interval;
                waitUntil(due);
                long intended = due;
                try {
                    if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                burst.clear();
                burst.add(nextRequest());
                connection.sendAsync(burst).get(0).whenComplete((answers, error) -> {
                    answered(answers, error, intended);
                    slots.release();
                });
            }
        }
    }

    private void answered(List<CheckResult> answers, Throwable error, long sent) {
        long elapsed = System.nanoTime() - sent;
        requests.increment();
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof GavelClientException refused && refused.code() == ErrorCode.BUSY) {
                busy.increment();
            } else {
                errors.increment();
                firstError.compareAndSet(null, String.valueOf(cause.getMessage()));
            }
            if (cause instanceof ConnectionClosedException lost && running) {
                failure = lost;
                running = false;
            }
            return;
        }
        latency.recordValue(Math.max(0, elapsed));
        for (CheckResult answer : answers) {
            decisions[answer.decision().ordinal()].increment();
            if (answer.status() != CheckResult.Status.OK) {
                // Answered implicitDeny, but the check could not be asked: an unknown principal...
                errors.increment();
                firstError.compareAndSet(null, answer.status() + " " + answer.detail());
            }
        }
    }

    private static void waitUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            if (left > 50_000) {
                LockSupport.parkNanos(left - 20_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
