package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.ConnectionClosedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One keep-alive HTTP/1.1 connection of a load run. Each request is prepared once as the whole
 * request's bytes, by the {@link HttpCodec} of the endpoint driven, which also reads the answers.
 *
 * <p>{@link #send} writes and reads on the calling thread, with no hand-off. {@link #sendAsync}
 * pipelines: its requests are written together, and a reader thread of the connection's own
 * reads the answers, which HTTP/1.1 sends in the requests' order (Jetty answers a pipeline one
 * request after the other), and completes the oldest request with each. A connection that has
 * pipelined is the reader's: {@code send} then refuses.
 */
final class HttpConnection implements LoadConnection<HttpConnection.Prepared> {

    /** A request's bytes and how many checks it holds; more than one goes to the batch endpoint. */
    record Prepared(byte[] bytes, int checks) {}

    /** A pipelined request awaiting its answer. */
    private static final class Pending extends CompletableFuture<List<CheckResult>> {
        final Prepared request;

        Pending(Prepared request) {
            this.request = request;
        }
    }

    private final HttpChannel channel;
    private final HttpCodec codec;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final List<byte[]> burst = new ArrayList<>();
    private volatile Thread reader;
    private volatile ConnectionClosedException failure;

    HttpConnection(Path socket, HttpCodec codec) throws IOException {
        this.channel = HttpChannel.open(socket);
        this.codec = codec;
    }

    @Override
    public Prepared prepare(List<Check> checks) throws IOException {
        return new Prepared(codec.encode(checks), checks.size());
    }

    @Override
    public List<CheckResult> send(Prepared request) throws IOException {
        if (reader != null) {
            throw new IllegalStateException("this connection pipelines: its reader thread reads every answer");
        }
        HttpChannel.Response response;
        try {
            response = channel.exchange(request.bytes());
        } catch (IOException e) {
            throw lost(e);
        }
        return results(request, response);
    }

    @Override
    public synchronized List<CompletableFuture<List<CheckResult>>> sendAsync(List<Prepared> requests) {
        if (reader == null) {
            reader = new Thread(this::readAnswers, "gavel-load-http-reader");
            reader.setDaemon(true);
            reader.start();
        }
        List<CompletableFuture<List<CheckResult>>> answers = new ArrayList<>(requests.size());
        burst.clear();
        for (Prepared request : requests) {
            Pending waiting = new Pending(request);
            answers.add(waiting);
            burst.add(request.bytes());
            // Queued before it is written, so that its answer always finds it.
            pending.add(waiting);
        }
        ConnectionClosedException lost = failure;
        if (lost == null) {
            try {
                channel.write(burst);
            } catch (IOException e) {
                lost = lost(e);
                failure = lost;
            }
        }
        if (lost != null) {
            failPending(lost);
        }
        return answers;
    }

    /** The reader thread: each answer completes the oldest request awaiting one. */
    private void readAnswers() {
        while (failure == null) {
            HttpChannel.Response response;
            try {
                response = channel.read();
            } catch (IOException e) {
                failure = lost(e);
                break;
            }
            Pending answered = pending.poll();
            if (answered == null) {
                failure = new ConnectionClosedException(null, "the server answered a request that was not sent", null);
                break;
            }
            try {
                answered.complete(results(answered.request, response));
            } catch (IOException e) {
                answered.completeExceptionally(e);
            }
        }
        failPending(failure);
    }

    private void failPending(ConnectionClosedException lost) {
        for (Pending waiting = pending.poll(); waiting != null; waiting = pending.poll()) {
            waiting.completeExceptionally(lost);
        }
    }

    private List<CheckResult> results(Prepared request, HttpChannel.Response response) throws IOException {
        return codec.decode(request.checks(), response);
    }

    private ConnectionClosedException lost(IOException e) {
        return failure != null ? failure : new ConnectionClosedException(null, "the HTTP connection was lost: "
                + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (failure == null) {
            failure = new ConnectionClosedException(null, "the connection was closed", null);
        }
        channel.close();
        Thread running = reader;
        if (running != null) {
            try {
                running.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failPending(failure);
    }
}
