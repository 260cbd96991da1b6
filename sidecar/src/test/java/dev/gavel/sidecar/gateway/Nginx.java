package dev.gavel.sidecar.gateway;

import dev.gavel.sidecar.DebianPackages;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * NGINX as a child process (not a daemon) on a free loopback port, with a temporary prefix for its
 * pid, logs and temporary files, serving one server configuration included in a minimal main one.
 * {@link #locate()} finds the binary, or installs Debian's {@code nginx} package when it can.
 */
final class Nginx implements AutoCloseable {

    private static final long START_SECONDS = 10;
    private static final List<String> PLACES = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx",
            "/usr/local/nginx/sbin/nginx");
    /** Whether this run tried to install NGINX already, and why that failed (null: it worked or was not needed). */
    private static String installFailure;
    private static boolean installTried;

    private final Process process;
    private final Path prefix;
    private final int port;

    private Nginx(Process process, Path prefix, int port) {
        this.process = process;
        this.prefix = prefix;
        this.port = port;
    }

    /**
     * The NGINX binary: on the PATH or in the usual places; else Debian's, after
     * {@code apt-get install -y nginx} (and {@code apt-get update} if that fails), once per run.
     *
     * @throws IllegalStateException saying why when there is none and none could be installed
     */
    static synchronized String locate() {
        String found = find();
        if (found != null) {
            return found;
        }
        if (!installTried) {
            installTried = true;
            installFailure = DebianPackages.install("nginx");
        }
        found = find();
        if (found == null) {
            throw new IllegalStateException("NGINX is not installed, and installing Debian's nginx failed: "
                    + installFailure);
        }
        return found;
    }

    /**
     * Starts {@code binary} with {@code serverConfig} (one or more {@code server} and {@code upstream}
     * blocks) listening on the port its {@code listen} directive names, and waits until it accepts
     * connections there.
     */
    static Nginx start(String binary, Path prefix, String serverConfig, int port) throws IOException,
            InterruptedException {
        Files.createDirectories(prefix);
        Files.writeString(prefix.resolve("gavel.conf"), serverConfig);
        String p = prefix.toAbsolutePath().toString();
        String main = (isRoot() ? "user root;\n" : "") + """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/gavel.conf;
                }
                """.formatted(p);
        Files.writeString(prefix.resolve("nginx.conf"), main);
        Path output = prefix.resolve("output.log");
        Process process = new ProcessBuilder(binary, "-p", p + "/", "-c", p + "/nginx.conf", "-e", p + "/error.log")
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Nginx nginx = new Nginx(process, prefix, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!nginx.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                nginx.close();
                throw new IllegalStateException("NGINX did not start: " + nginx.logs());
            }
            Thread.sleep(50);
        }
        return nginx;
    }

    /** A loopback port free now, for NGINX to listen on. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** What NGINX wrote to its error log and its output, for a failure's message. */
    String logs() throws IOException {
        Path errors = prefix.resolve("error.log");
        Path output = prefix.resolve("output.log");
        return (Files.exists(errors) ? Files.readString(errors, StandardCharsets.UTF_8) : "")
                + (Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "");
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops NGINX (SIGTERM: a fast shutdown) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String find() {
        List<String> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                candidates.add(directory + "/nginx");
            }
        }
        candidates.addAll(PLACES);
        for (String candidate : candidates) {
            Path file = Path.of(candidate);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return candidate;
            }
        }
        return null;
    }
}
