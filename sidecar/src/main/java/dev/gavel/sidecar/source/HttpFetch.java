package dev.gavel.sidecar.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * GETs with {@link HttpClient}: conditional (ETag, else Last-Modified), bounded in size while the
 * body streams (a declared Content-Length over the limit is refused before any byte is read), and
 * bounded in time from the request to the body's last byte, not only to its headers. The body is
 * hashed as it streams to its file. Nothing is decoded: the bytes hashed are the bytes served
 * ({@code Accept-Encoding: identity}).
 */
final class HttpFetch {

    /** What makes the next GET conditional: the validators of the version already held. */
    record Validators(String etag, String lastModified) {
        static final Validators NONE = new Validators(null, null);
    }

    /**
     * A GET's result: not modified; or a body of {@code size} bytes with its SHA-256 in hex; or,
     * with {@code tooLarge}, a body refused for its size, with the validators that name it.
     */
    record Download(boolean notModified, Validators validators, long size, String sha256, SourceException tooLarge) {}

    private static final String USER_AGENT = "gavel/" + version();

    private final HttpClient client;
    private final Duration timeout;

    HttpFetch(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** GETs {@code uri} into {@code file}, conditionally on {@code validators}; {@code shown} names it in messages. */
    Download toFile(URI uri, String shown, Validators validators, Path file, long limit) throws SourceException {
        HttpRequest.Builder request = request(uri);
        if (validators.etag() != null) {
            request.header("If-None-Match", validators.etag());
        } else if (validators.lastModified() != null) {
            request.header("If-Modified-Since", validators.lastModified());
        }
        MessageDigest digest = DirectoryFiles.sha256();
        HttpResponse<Long> response;
        HttpHeaders[] headers = new HttpHeaders[1];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            response = send(request.build(), shown, channel, digest, limit, headers);
        } catch (SourceException e) {
            if (e.reason() != SourceException.Reason.TOO_LARGE || headers[0] == null) {
                throw e;
            }
            return new Download(false, validators(headers[0]), -1, null, e);
        } catch (IOException e) {
            throw new SourceException(SourceException.Reason.UNREADABLE, "cannot write the download of " + shown + " to "
                    + file + ": " + BundleArchive.message(e), e);
        }
        if (response.statusCode() == 304) {
            return new Download(true, validators, 0, null, null);
        }
        return new Download(false, validators(response.headers()), response.body(),
                HexFormat.of().formatHex(digest.digest()), null);
    }

    private static Validators validators(HttpHeaders headers) {
        return new Validators(headers.firstValue("ETag").orElse(null), headers.firstValue("Last-Modified").orElse(null));
    }

    /** GETs a small file whole: it must answer 200. */
    byte[] small(URI uri, String shown, int limit) throws SourceException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HttpResponse<Long> response;
        try {
            response = send(request(uri).build(), shown, Channels.newChannel(bytes), DirectoryFiles.sha256(), limit,
                    new HttpHeaders[1]);
        } catch (SourceException e) {
            if (e.reason() == SourceException.Reason.TOO_LARGE) {
                throw new SourceException(SourceException.Reason.BAD_CHECKSUM_FILE, shown + " is larger than " + limit
                        + " bytes; a digest or signature file is one line", true);
            }
            throw e;
        }
        if (response.statusCode() != 200) {
            throw status(shown, response.statusCode());
        }
        return bytes.toByteArray();
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Accept-Encoding", "identity")
                .header("User-Agent", USER_AGENT).GET();
    }

    private HttpResponse<Long> send(HttpRequest request, String shown, WritableByteChannel out, MessageDigest digest,
            long limit, HttpHeaders[] headers) throws SourceException {
        HttpResponse.BodyHandler<Long> handler = info -> {
            headers[0] = info.headers();
            return info.statusCode() != 200 ? HttpResponse.BodySubscribers.replacing(-1L)
                    : new Sink(out, digest, limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
        };
        CompletableFuture<HttpResponse<Long>> future = client.sendAsync(request, handler);
        HttpResponse<Long> response;
        try {
            response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw unreachable(shown, "no complete answer within " + seconds(timeout), e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw unreachable(shown, "interrupted", e);
        } catch (ExecutionException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof Sink.TooLarge) {
                    throw new SourceException(SourceException.Reason.TOO_LARGE, "it is larger than " + limit
                            + " bytes, the limit");
                }
            }
            throw unreachable(shown, describe(e.getCause()), e.getCause());
        }
        int status = response.statusCode();
        if (status != 200 && status != 304) {
            throw status(shown, status);
        }
        return response;
    }

    private static SourceException status(String shown, int status) {
        boolean retryable = status >= 500 || status == 429 || status == 408;
        return new SourceException(SourceException.Reason.HTTP_STATUS, "GET " + shown + " answered HTTP " + status,
                retryable);
    }

    private static SourceException unreachable(String shown, String what, Throwable cause) {
        return new SourceException(SourceException.Reason.UNREACHABLE, "cannot GET " + shown + ": " + what, cause);
    }

    /** A network failure in words that stay the same from one attempt to the next. */
    private String describe(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return "no connection within the connect timeout";
            }
            if (cause instanceof HttpTimeoutException) {
                // The same words as the deadline on the whole answer, which may fire first.
                return "no complete answer within " + seconds(timeout);
            }
            if (cause instanceof ConnectException) {
                return cause.getMessage() == null ? "connection refused" : cause.getMessage();
            }
            if (cause instanceof SSLException) {
                return "TLS failed: " + cause.getMessage();
            }
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static String version() {
        String version = HttpFetch.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Writes a body as it streams, hashing it, and fails it once it passes the limit. */
    static final class Sink implements HttpResponse.BodySubscriber<Long> {

        /** The body is larger than allowed. */
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;

            TooLarge() {
                super("over the size limit");
            }
        }

        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private final WritableByteChannel out;
        private final MessageDigest digest;
        private final long limit;
        private final long declared;
        private Flow.Subscription subscription;
        private long count;

        Sink(WritableByteChannel out, MessageDigest digest, long limit, long declared) {
            this.out = out;
            this.digest = digest;
            this.limit = limit;
            this.declared = declared;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared > limit) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge());
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    count += buffer.remaining();
                    if (count > limit) {
                        throw new TooLarge();
                    }
                    digest.update(buffer.duplicate());
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                result.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(count);
        }

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }
    }
}
