package dev.gavel.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.GavelClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gavel serve} as a process: ready line, a stale socket replaced, a live one refused, a
 * reload when the directory changes, and SIGTERM stopping it cleanly with its socket removed.
 */
@Timeout(120)
class ServeCommandTest {

    @TempDir
    Path folder;

    private static final Check READ = Check.of("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
            "arn:aws:s3:::example-payments-data/orders/1.csv").with("aws:SecureTransport", "true")
            .with("aws:RequestedRegion", "eu-west-1");

    /** A running {@code gavel serve}, its output lines as they come. */
    private record Served(Process process, BlockingQueue<String> lines) {

        String await(String prefix) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            while (true) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("no line starting with '" + prefix + "'; saw " + seen);
                }
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
    }

    private static Served serve(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), SidecarCli.class.getName(), "serve"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Served(process, lines);
    }

    private Path copyOfDemo() throws IOException {
        Path target = folder.resolve("demo");
        try (Stream<Path> files = Files.walk(Path.of("corpus/demo"))) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(Path.of("corpus/demo").relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    @Test
    void servesReloadsAndStopsOnSigterm() throws Exception {
        Path directory = copyOfDemo();
        Path socket = folder.resolve("g.sock");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();

        Served served = serve("--directory", directory.toString(), "--socket", socket.toString(),
                "--watch-interval", "100ms");
        try {
            String ready = served.await("gavel serve: ready");
            assertThat(ready).contains("binary protocol on " + socket).contains("snapshot 1");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");

            Served second = serve("--directory", directory.toString(), "--socket", socket.toString());
            assertThat(second.await("gavel serve: another server is listening on " + socket)).isNotEmpty();
            assertThat(second.process().waitFor()).isEqualTo(2);

            try (GavelClient client = GavelClient.connect(socket)) {
                CheckResult first = client.check(READ);
                assertThat(first.allowed()).isTrue();
                assertThat(first.snapshotVersion()).isEqualTo(1);
                Path account = directory.resolve("accounts/111122223333.json");
                Files.writeString(account, Files.readString(account) + "\n");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (client.check(READ).snapshotVersion() == 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(client.check(READ).snapshotVersion()).isEqualTo(2);
            }
        } finally {
            // SIGTERM through the handle: Process.destroy would also close the streams we read.
            served.process().toHandle().destroy();
        }
        assertThat(served.process().waitFor()).isEqualTo(143);
        assertThat(served.await("gavel serve: stopped")).contains("checks");
        assertThat(socket).doesNotExist();
    }

    @Test
    void aDirectoryThatDoesNotLoadIsReported() throws Exception {
        Path broken = Files.createDirectories(folder.resolve("broken/accounts"));
        Files.writeString(broken.resolve("111122223333.json"), "{not json");
        Served served = serve("--directory", broken.getParent().toString(), "--socket",
                folder.resolve("g.sock").toString());
        assertThat(served.await("gavel serve: the directory")).contains("did not load");
        assertThat(served.process().waitFor()).isEqualTo(2);
        assertThat(folder.resolve("g.sock")).doesNotExist();
    }
}
