package dev.gavel.sidecar.http;

import dev.gavel.sidecar.Listener;
import java.io.IOException;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** The HTTP API as one of {@code gavel serve}'s listeners. */
public final class HttpListener implements Listener {

    private final HttpApi api;

    public HttpListener(HttpApi api) {
        this.api = api;
    }

    @Override
    public String describe() {
        HttpConfig config = api.config();
        StringBuilder text = new StringBuilder("HTTP API on ");
        if (config.socket() != null) {
            text.append(config.socket()).append(" (mode ").append(PosixFilePermissions.toString(config.socketMode()))
                    .append(')');
        }
        if (config.tcp() != null) {
            if (config.socket() != null) {
                text.append(" and ");
            }
            String host = config.tcp().getAddress().getHostAddress();
            text.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(api.tcpPort());
        }
        return text.toString();
    }

    @Override
    public void start() throws IOException {
        api.start();
    }

    /** Stops taking connections and lets requests in flight finish; Jetty bounds the wait itself. */
    @Override
    public void drain(Duration timeout) {
        api.stop();
    }

    @Override
    public void close() {
        api.stop();
    }
}
