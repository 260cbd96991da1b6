package dev.gavel.cli;

import dev.gavel.Action;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.ContextKey;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Identity;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Runs a workload on the prepared path ({@link Principal#check}) on worker threads, each with its
 * own {@link CheckContext}, and on the reference evaluator on one thread; shows progress while
 * it runs.
 *
 * <p><b>How latency is timed.</b> A worker reads {@link System#nanoTime()} once per batch of
 * {@value #BATCH} checks and records the batch's time divided by {@value #BATCH}, {@value #BATCH}
 * times, in its {@link Histogram}. One clock read costs some 20 to 30 ns on Linux (measured and
 * printed by {@link #timerCost()}); timing each check would take two reads, a cost the size of
 * the check itself, and would make the numbers describe the clock. Per batch the clock costs about
 * 2 ns a check. The price is that the percentiles are of 16-check averages: one slow check among
 * 15 fast ones shows as a sixteenth of its excess, so p99.9 and max understate single outliers
 * (a GC pause still shows, spread over its batch).
 *
 * <p><b>Allocation.</b> Each worker reads its own allocated bytes
 * ({@code com.sun.management.ThreadMXBean}) just before and just after its measured loop; the loop
 * itself (counters, histogram, progress) allocates nothing, so the difference is the engine's.
 *
 * <p><b>Progress.</b> A worker publishes its check count with one ordered store per batch, in a
 * slot of its own (padded against false sharing); the calling thread sums them to print progress.
 */
final class BenchRunner {

    /** Checks timed together by one pair of clock reads. */
    static final int BATCH = 16;
    /** The longest per-check time the histograms hold; longer ones are recorded as this. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    /** Longs between two workers' progress slots: 128 bytes, two cache lines. */
    private static final int STRIDE = 16;

    /** The workload as arrays, one entry per request: what a worker reads. */
    record Requests(Principal[] principals, Action[] actions, String[] resources, String[] regions,
            String[] sourceIps) {
        int size() {
            return resources.length;
        }
    }

    /**
     * The request facts of every check: fixed ones, set once per context, and the per-request
     * keys (null when a fixed fact overrides them).
     */
    record Facts(RequestContext fixed, ContextKey region, ContextKey sourceIp) {}

    /** What the compiled run measured. */
    record Result(long checks, double seconds, double warmupSeconds, double[] perThread, Histogram latency,
            double bytesPerCheck, long[] decisions) {
        double checksPerSecond() {
            return seconds > 0 ? checks / seconds : 0;
        }
    }

    /** What the reference run measured, and how often it disagreed with the compiled engine. */
    record ReferenceResult(long checks, double seconds, long disagreements, long errors) {
        double checksPerSecond() {
            return seconds > 0 ? checks / seconds : 0;
        }
    }

    private final BenchProgress progress;

    BenchRunner(BenchProgress progress) {
        this.progress = progress;
    }

    // ---- the compiled engine

    /** Runs the workload on {@code threads} threads: warm-up, then the measured run. */
    Result run(Engine engine, Requests requests, Facts facts, int threads, Duration warmup, Duration duration)
            throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicLongArray counts = new AtomicLongArray(threads * STRIDE);
        List<Worker> workers = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker worker = new Worker(engine, requests, facts, i * STRIDE, (int) ((long) i * requests.size() / threads),
                    counts, start, done);
            workers.add(worker);
            Thread thread = new Thread(worker, "gavel-bench-" + i);
            thread.setDaemon(true);
            running.add(thread);
            thread.start();
        }
        long began = System.nanoTime();
        long warmupEnd = began + warmup.toNanos();
        for (Worker worker : workers) {
            worker.warmupEnd = warmupEnd;
            worker.duration = duration.toNanos();
        }
        start.countDown();
        long lastTime = began;
        long lastTotal = 0;
        while (!done.await(progress.intervalMillis(), TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long total = 0;
            long measured = 0;
            for (int i = 0; i < threads; i++) {
                long count = counts.get(i * STRIDE);
                long base = counts.get(i * STRIDE + 1);
                total += count;
                measured += base > 0 ? count - (base - 1) : 0;
            }
            double rate = (total - lastTotal) * 1e9 / Math.max(1, now - lastTime);
            progress.show(now < warmupEnd
                    ? String.format("warm-up %.1f s of %.1f s: %,d checks, %,.0f checks/s", (now - began) / 1e9,
                            warmup.toNanos() / 1e9, total, rate)
                    : String.format("measuring %.1f s of %.1f s: %,d checks, %,.0f checks/s",
                            Math.min(now - warmupEnd, duration.toNanos()) / 1e9, duration.toNanos() / 1e9, measured, rate));
            lastTime = now;
            lastTotal = total;
        }
        progress.clear();
        for (Thread thread : running) {
            thread.join();
        }
        for (Worker worker : workers) {
            if (worker.error != null) {
                throw new IllegalStateException("worker " + worker.slot / STRIDE + " failed: " + worker.error,
                        worker.error);
            }
        }
        Histogram latency = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        long checks = 0;
        long firstStart = Long.MAX_VALUE;
        long lastEnd = Long.MIN_VALUE;
        long allocated = 0;
        long[] decisions = new long[Decision.values().length];
        double[] perThread = new double[threads];
        for (int i = 0; i < threads; i++) {
            Worker worker = workers.get(i);
            latency.add(worker.histogram);
            checks += worker.checks;
            firstStart = Math.min(firstStart, worker.started);
            lastEnd = Math.max(lastEnd, worker.finished);
            allocated = allocated < 0 || worker.allocated < 0 ? -1 : allocated + worker.allocated;
            for (int d = 0; d < decisions.length; d++) {
                decisions[d] += worker.decisions[d];
            }
            perThread[i] = worker.checks * 1e9 / Math.max(1, worker.finished - worker.started);
        }
        double seconds = (lastEnd - firstStart) / 1e9;
        return new Result(checks, seconds, warmup.toNanos() / 1e9, perThread, latency,
                allocated < 0 ? -1 : (double) allocated / Math.max(1, checks), decisions);
    }

    /** One thread's share of the run: checks the workload from its own offset, in batches. */
    private static final class Worker implements Runnable {

        private final Engine engine;
        private final Requests requests;
        private final Facts facts;
        private final int slot;
        private final int offset;
        private final AtomicLongArray counts;
        private final CountDownLatch start;
        private final CountDownLatch done;
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        final long[] decisions = new long[Decision.values().length];
        /** When warm-up ends (System.nanoTime) and how long to measure then, written before {@code start} opens. */
        long warmupEnd;
        long duration;
        long checks;
        long started;
        long finished;
        long allocated = -1;
        Throwable error;

        Worker(Engine engine, Requests requests, Facts facts, int slot, int offset, AtomicLongArray counts,
                CountDownLatch start, CountDownLatch done) {
            this.engine = engine;
            this.requests = requests;
            this.facts = facts;
            this.slot = slot;
            this.offset = offset;
            this.counts = counts;
            this.start = start;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                start.await();
                measure();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                error = e;
            } finally {
                done.countDown();
            }
        }

        private void measure() {
            CheckContext context = engine.newContext();
            fill(context, facts.fixed());
            int next = offset;
            long total = 0;
            long now = System.nanoTime();
            while (now < warmupEnd) {
                next = batch(next, context);
                long after = System.nanoTime();
                histogram.recordValueWithCount(Math.min((after - now) / BATCH, HIGHEST_TRACKABLE_NS), BATCH);
                now = after;
                total += BATCH;
                counts.lazySet(slot, total);
            }
            histogram.reset();
            Arrays.fill(decisions, 0);
            counts.lazySet(slot + 1, total + 1);
            long allocatedBefore = allocatedBytes();
            started = System.nanoTime();
            now = started;
            long end = started + duration;
            long measured = 0;
            while (now < end) {
                next = batch(next, context);
                long after = System.nanoTime();
                histogram.recordValueWithCount(Math.min((after - now) / BATCH, HIGHEST_TRACKABLE_NS), BATCH);
                now = after;
                measured += BATCH;
                counts.lazySet(slot, total + measured);
            }
            finished = now;
            long allocatedAfter = allocatedBytes();
            checks = measured;
            allocated = allocatedBefore < 0 || allocatedAfter < 0 ? -1 : allocatedAfter - allocatedBefore;
        }

        /** Checks {@value #BATCH} requests from {@code next} on, counting decisions; returns where to go on. */
        private int batch(int next, CheckContext context) {
            Requests requests = this.requests;
            ContextKey region = facts.region();
            ContextKey sourceIp = facts.sourceIp();
            long[] decisions = this.decisions;
            int size = requests.size();
            int k = next;
            for (int i = 0; i < BATCH; i++) {
                if (region != null) {
                    context.put(region, requests.regions()[k]);
                }
                if (sourceIp != null) {
                    context.put(sourceIp, requests.sourceIps()[k]);
                }
                Answer answer = requests.principals()[k].check(requests.actions()[k], requests.resources()[k], context);
                decisions[answer.decision().ordinal()]++;
                if (++k == size) {
                    k = 0;
                }
            }
            return k;
        }
    }

    /** Decides every request once, on the calling thread: the compiled engine's decision of each. */
    static Decision[] decideAll(Engine engine, Requests requests, Facts facts) {
        Decision[] decisions = new Decision[requests.size()];
        CheckContext context = engine.newContext();
        fill(context, facts.fixed());
        for (int k = 0; k < decisions.length; k++) {
            if (facts.region() != null) {
                context.put(facts.region(), requests.regions()[k]);
            }
            if (facts.sourceIp() != null) {
                context.put(facts.sourceIp(), requests.sourceIps()[k]);
            }
            decisions[k] = requests.principals()[k].check(requests.actions()[k], requests.resources()[k], context)
                    .decision();
        }
        return decisions;
    }

    /** Sets the fixed facts in a check context. */
    static void fill(CheckContext context, RequestContext fixed) {
        for (RequestContext.Entry entry : fixed.entries()) {
            if (entry.multivalued()) {
                context.putAll(entry.key(), entry.values());
            } else {
                context.put(entry.key(), entry.values().get(0));
            }
        }
    }

    /** The calling thread's allocated bytes so far, or -1 when the JVM does not count them. */
    private static long allocatedBytes() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean counting && counting.isThreadAllocatedMemorySupported()
                && counting.isThreadAllocatedMemoryEnabled()) {
            return counting.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    // ---- the reference evaluator

    /**
     * Runs the workload through {@link Authorizer#authorize} on the calling thread's behalf, on one
     * thread: a warm-up, then the measured run; each decision is compared with the compiled
     * engine's decision of the same request.
     */
    ReferenceResult reference(Authorizer authorizer, Identity[] identities, String[] actions, String[] resources,
            RequestContext[] contexts, Decision[] expected, Duration warmup, Duration duration)
            throws InterruptedException {
        ReferenceWorker worker = new ReferenceWorker(authorizer, identities, actions, resources, contexts, expected);
        long began = System.nanoTime();
        worker.warmupEnd = began + warmup.toNanos();
        worker.duration = duration.toNanos();
        Thread thread = new Thread(worker, "gavel-bench-reference");
        thread.setDaemon(true);
        thread.start();
        long lastTime = began;
        long lastTotal = 0;
        while (!worker.done.await(progress.intervalMillis(), TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long total = worker.count.get(0);
            progress.show(String.format("reference evaluator %.1f s of %.1f s: %,d checks, %,.0f checks/s",
                    Math.min(now - began, warmup.toNanos() + duration.toNanos()) / 1e9,
                    (warmup.toNanos() + duration.toNanos()) / 1e9, total,
                    (total - lastTotal) * 1e9 / Math.max(1, now - lastTime)));
            lastTime = now;
            lastTotal = total;
        }
        progress.clear();
        thread.join();
        if (worker.error != null) {
            throw new IllegalStateException("the reference run failed: " + worker.error, worker.error);
        }
        return new ReferenceResult(worker.checks, (worker.finished - worker.started) / 1e9, worker.disagreements,
                worker.errors);
    }

    private static final class ReferenceWorker implements Runnable {

        private final Authorizer authorizer;
        private final Identity[] identities;
        private final String[] actions;
        private final String[] resources;
        private final RequestContext[] contexts;
        private final Decision[] expected;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLongArray count = new AtomicLongArray(1);
        long warmupEnd;
        long duration;
        long checks;
        long disagreements;
        long errors;
        long started;
        long finished;
        Throwable error;

        ReferenceWorker(Authorizer authorizer, Identity[] identities, String[] actions, String[] resources,
                RequestContext[] contexts, Decision[] expected) {
            this.authorizer = authorizer;
            this.identities = identities;
            this.actions = actions;
            this.resources = resources;
            this.contexts = contexts;
            this.expected = expected;
        }

        @Override
        public void run() {
            try {
                int next = 0;
                long total = 0;
                long now = System.nanoTime();
                while (now < warmupEnd) {
                    next = batch(next, false);
                    total += BATCH;
                    count.lazySet(0, total);
                    now = System.nanoTime();
                }
                started = now;
                long end = started + duration;
                while (now < end) {
                    next = batch(next, true);
                    checks += BATCH;
                    count.lazySet(0, total + checks);
                    now = System.nanoTime();
                }
                finished = now;
            } catch (RuntimeException | Error e) {
                error = e;
            } finally {
                done.countDown();
            }
        }

        private int batch(int next, boolean counting) {
            int k = next;
            for (int i = 0; i < BATCH; i++) {
                Decision decision;
                try {
                    decision = authorizer.authorize(identities[k], actions[k], resources[k], contexts[k]).decision();
                } catch (RequestException e) {
                    decision = null;
                }
                if (counting) {
                    if (decision == null) {
                        errors++;
                    } else if (decision != expected[k]) {
                        disagreements++;
                    }
                }
                if (++k == actions.length) {
                    k = 0;
                }
            }
            return k;
        }
    }

    // ---- the clock

    private static volatile long sink;

    /** What one {@link System#nanoTime()} costs on this machine, in nanoseconds: the least of a few tries. */
    static double timerCost() {
        double least = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            least = Math.min(least, timeReads());
        }
        return least;
    }

    private static double timeReads() {
        int reads = 100_000;
        long sum = 0;
        long began = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            sum += System.nanoTime();
        }
        long elapsed = System.nanoTime() - began;
        sink = sum;
        return (double) elapsed / reads;
    }
}
