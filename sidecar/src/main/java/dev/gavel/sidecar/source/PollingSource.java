package dev.gavel.sidecar.source;

import dev.gavel.directory.Directory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every source shares: start-up with retries, one check at a time, the schedule with backoff,
 * failures reported once per reason, and the status. A subclass only says how to fetch a new
 * version ({@link #fetch(String)}).
 *
 * <p>The schedule: a check every poll interval, each delay varied by up to a tenth either way so
 * that a fleet started together does not poll in step. After a failure that may pass by itself
 * (the network, a server error, a digest being republished) the delay doubles with each failure in
 * a row, up to five minutes or the interval if that is longer, so that a fleet does not hammer an
 * origin that is struggling. A failure that will not pass by itself (a bundle that does not verify
 * or load) keeps the interval: its source remembers it, and checks are then cheap.
 *
 * <p>Tests drive checks by hand with {@link #poll()} and a zero interval, and give start-up a
 * {@link Sleeper} that does not sleep.
 */
abstract class PollingSource implements DirectorySource {

    /** The longest wait between checks of a failing source, unless the interval is longer. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** The first wait before retrying a failed start-up; it doubles with each attempt. */
    static final Duration STARTUP_BACKOFF = Duration.ofMillis(500);
    /** How much each delay varies, either way, as a fraction of it. */
    static final double JITTER = 0.1;

    /** A new directory, and what to record once the server has taken it. */
    record Fetched(Directory directory, String version, Runnable applied) {}

    /** Waits between start-up attempts; tests pass one that only records. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String description;
    private final Duration interval;
    private final Clock clock;
    private final int startupAttempts;
    private final Sleeper sleeper;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile SourceStatus status;
    private volatile boolean closed;
    private Listener listener;
    private String reported;
    private volatile boolean lastRetryable;
    private volatile ScheduledExecutorService scheduler;

    PollingSource(String description, Duration interval, Clock clock, int startupAttempts, Sleeper sleeper) {
        this.description = description;
        this.interval = interval;
        this.clock = clock;
        this.startupAttempts = startupAttempts;
        this.sleeper = sleeper;
        this.status = new SourceStatus(description, null, null, null, null, null, 0);
    }

    /**
     * Fetches the current version: null when its content version is {@code served} (nothing to do),
     * else the new directory, verified and loaded. With {@code served} null, always the directory.
     */
    abstract Fetched fetch(String served) throws SourceException;

    @Override
    public final Directory load() throws SourceException {
        checking.lock();
        try {
            Duration wait = STARTUP_BACKOFF;
            for (int attempt = 1; ; attempt++) {
                try {
                    Fetched fetched = fetch(null);
                    fetched.applied().run();
                    succeeded(fetched.version());
                    return fetched.directory();
                } catch (SourceException e) {
                    recordFailure(e);
                    if (!e.retryable() || attempt >= startupAttempts) {
                        throw attempt == 1 ? e : new SourceException(e.reason(), e.getMessage() + " (tried "
                                + attempt + " times)", e.problems());
                    }
                } catch (OutOfMemoryError e) {
                    throw outOfMemory(e);
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SourceException(SourceException.Reason.UNREACHABLE, "interrupted while loading from "
                            + description);
                }
                wait = wait.multipliedBy(2);
            }
        } finally {
            checking.unlock();
        }
    }

    @Override
    public final String contentVersion() {
        return status.contentVersion();
    }

    @Override
    public final SourceStatus status() {
        return status;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final void start(Listener listener) {
        checking.lock();
        try {
            if (this.listener != null) {
                throw new IllegalStateException(description + " is already started");
            }
            this.listener = listener;
            if (!interval.isZero() && !closed) {
                scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "gavel-source " + description);
                    thread.setDaemon(true);
                    return thread;
                });
                schedule(nextDelay(interval, 0, false, ThreadLocalRandom.current().nextDouble()));
                if (closed) {
                    scheduler.shutdownNow(); // closed while starting
                }
            }
        } finally {
            checking.unlock();
        }
    }

    private void schedule(Duration delay) {
        try {
            scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: nothing more to check.
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            poll();
        } finally {
            if (!closed) {
                schedule(nextDelay(interval, status.consecutiveFailures(), lastRetryable,
                        ThreadLocalRandom.current().nextDouble()));
            }
        }
    }

    @Override
    public final Outcome poll() {
        checking.lock();
        try {
            if (listener == null) {
                throw new IllegalStateException("start(listener) " + description + " before polling it");
            }
            Fetched fetched;
            try {
                fetched = fetch(status.contentVersion());
            } catch (SourceException e) {
                return failed(e);
            } catch (OutOfMemoryError e) {
                return failed(outOfMemory(e));
            }
            if (fetched == null) {
                succeeded(null);
                return Outcome.UNCHANGED;
            }
            try {
                listener.updated(fetched.directory(), fetched.version());
            } catch (RuntimeException e) {
                return failed(new SourceException(SourceException.Reason.NOT_APPLIED, "the directory "
                        + fetched.version() + " from " + description + " loaded, but the server did not apply it: " + e,
                        e));
            } catch (OutOfMemoryError e) {
                return failed(outOfMemory(e));
            }
            fetched.applied().run();
            succeeded(fetched.version());
            return Outcome.UPDATED;
        } finally {
            checking.unlock();
        }
    }

    private SourceException outOfMemory(OutOfMemoryError e) {
        return new SourceException(SourceException.Reason.OUT_OF_MEMORY, "Java ran out of memory with the directory "
                + "from " + description + " (" + e.getMessage() + "); give it more heap, as GAVEL_JAVA_OPTS=-Xmx2g");
    }

    /** Records and reports a failed check; the listener hears of it only when its reason is new. */
    private Outcome failed(SourceException failure) {
        if (closed) {
            return Outcome.FAILED;
        }
        recordFailure(failure);
        if (!failure.getMessage().equals(reported)) {
            reported = failure.getMessage();
            try {
                listener.failed(failure);
            } catch (RuntimeException e) {
                // The listener's own trouble must not stop the checks.
            }
        }
        return Outcome.FAILED;
    }

    private void recordFailure(SourceException failure) {
        SourceStatus was = status;
        lastRetryable = failure.retryable();
        status = new SourceStatus(description, was.contentVersion(), was.loadedAt(), clock.instant(),
                failure.getMessage(), failure.reason(), was.consecutiveFailures() + 1);
    }

    /** Records a successful check; {@code version} is the one delivered, or null when nothing changed. */
    private void succeeded(String version) {
        SourceStatus was = status;
        status = new SourceStatus(description, version == null ? was.contentVersion() : version,
                version == null ? was.loadedAt() : clock.instant(), clock.instant(), null, null, 0);
        lastRetryable = false;
        if (reported != null) {
            reported = null;
            if (listener != null && !closed) {
                try {
                    listener.recovered(status);
                } catch (RuntimeException e) {
                    // As in failed.
                }
            }
        }
    }

    /**
     * The wait before the next check: the interval, or after {@code failures} retryable failures in
     * a row, the interval doubled that many times up to {@link #MAX_BACKOFF} (or the interval, if
     * longer); then varied by up to {@link #JITTER} either way by {@code random}, in [0, 1).
     */
    static Duration nextDelay(Duration interval, int failures, boolean retryable, double random) {
        long base = Math.max(1, interval.toMillis());
        long millis = base;
        if (retryable && failures > 0) {
            long cap = Math.max(base, MAX_BACKOFF.toMillis());
            for (int i = 0; i < failures && millis < cap; i++) {
                millis *= 2;
            }
            millis = Math.min(millis, cap);
        }
        long varied = millis + Math.round(millis * JITTER * (2 * random - 1));
        return Duration.ofMillis(Math.max(1, varied));
    }

    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.shutdownNow();
        }
    }

    /** Whether {@link #close()} was called. */
    final boolean closed() {
        return closed;
    }

    @Override
    public String toString() {
        return description;
    }
}
