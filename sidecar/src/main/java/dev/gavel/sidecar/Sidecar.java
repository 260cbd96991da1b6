package dev.gavel.sidecar;

import dev.gavel.Engine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The running sidecar: one engine, and the listeners that answer checks against it.
 *
 * <p>{@link #start()} starts every listener, or none: when one fails, those already started are
 * closed. {@link #shutdown(Duration)} drains every listener (no new connections, requests in
 * flight answered), closes them and stops the engine's folder watcher; it runs once, from a
 * caller or from the JVM's shutdown hook on SIGTERM.
 */
public final class Sidecar {

    private final Engine engine;
    private final List<Listener> listeners = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean started;
    private boolean shutDown;

    public Sidecar(Engine engine) {
        this.engine = engine;
    }

    /** The engine every listener answers with. */
    public Engine engine() {
        return engine;
    }

    /** Adds a listener, before {@link #start()}. */
    public synchronized Sidecar add(Listener listener) {
        if (started) {
            throw new IllegalStateException("listeners are added before the sidecar starts");
        }
        listeners.add(listener);
        return this;
    }

    public synchronized List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    /** Starts every listener; if one fails, closes those started and rethrows. */
    public synchronized void start() throws IOException {
        if (listeners.isEmpty()) {
            throw new IllegalStateException("the sidecar has no listener");
        }
        started = true;
        List<Listener> running = new ArrayList<>();
        try {
            for (Listener listener : listeners) {
                listener.start();
                running.add(listener);
            }
        } catch (IOException | RuntimeException e) {
            running.forEach(Listener::close);
            shutDown = true;
            stopped.countDown();
            throw e;
        }
    }

    /** Shuts down on SIGTERM and SIGINT: drains for at most {@code drain}, then the JVM exits. */
    public void shutdownOnSignal(Duration drain) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(drain), "gavel-shutdown"));
    }

    /**
     * Drains every listener for at most {@code drain} in all, closes them and stops watching the
     * directory. Runs once; later calls wait for the first to finish.
     */
    public void shutdown(Duration drain) {
        boolean first;
        synchronized (this) {
            first = !shutDown;
            shutDown = true;
        }
        if (!first) {
            awaitQuietly();
            return;
        }
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            for (Listener listener : listeners) {
                listener.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } finally {
            listeners.forEach(Listener::close);
            engine.close();
            stopped.countDown();
        }
    }

    /** Blocks until the sidecar has shut down. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
