package dev.gavel.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.GavelClient;
import com.sun.net.httpserver.HttpServer;
import dev.gavel.directory.DirectoryLoader;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import com.google.rpc.Code;
import java.util.Locale;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code gavel serve} as a process: ready line, a stale socket replaced, a live one refused, a
 * reload when the directory changes, a bundle served over both protocols with its content
 * version reported and a bad one refused, and SIGTERM stopping it cleanly with its sockets removed.
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
                "--directory-poll", "100ms");
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
        assertThat(served.await(broken.getParent() + "/accounts/111122223333.json:1:"))
                .contains("111122223333.json:1:2");
        assertThat(served.process().waitFor()).isEqualTo(2);
        assertThat(folder.resolve("g.sock")).doesNotExist();
    }

    @Test
    void servesABundleOverBothProtocolsAndReportsItsContentVersion() throws Exception {
        Path site = Files.createDirectories(folder.resolve("site"));
        Path bundle = site.resolve("demo.tar.gz");
        assertThat(gavel("bundle", "corpus/demo", "-o", bundle.toString())).isZero();
        String firstVersion = "sha256:" + Files.readString(site.resolve("demo.tar.gz.sha256")).substring(0, 64);
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            Path file = site.resolve(exchange.getRequestURI().getPath().substring(1));
            byte[] body = Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
            exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        Path socket = folder.resolve("g.sock");
        Path http = folder.resolve("h.sock");
        Served served = serve("--bundle", "http://127.0.0.1:" + web.getAddress().getPort() + "/demo.tar.gz",
                "--bundle-poll", "0", "--socket", socket.toString(), "--http-socket", http.toString());
        try {
            String ready = served.await("gavel serve: ready");
            assertThat(ready).contains("binary protocol on " + socket).contains("HTTP API on " + http)
                    .contains("(" + firstVersion + "), snapshot 1");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(http))).isEqualTo("rw-------");
            try (GavelClient client = GavelClient.connect(socket)) {
                assertThat(client.check(READ).allowed()).isTrue();
            }
            assertThat(get(http, "/v1/status")).contains("\"contentVersion\":\"" + firstVersion + "\"")
                    .contains("\"snapshotVersion\":1");
            assertThat(get(http, "/metrics")).contains("gavel_binary_checks_total{decision=\"allowed\"} 1.0")
                    .contains("gavel_directory_info{content_version=\"" + firstVersion + "\"} 1.0");

            // A new bundle is served after a reload; a corrupt one is refused and the last good one stays.
            Path changed = copyOfDemo();
            Path account = changed.resolve("accounts/111122223333.json");
            Files.writeString(account, Files.readString(account) + "\n");
            assertThat(gavel("bundle", changed.toString(), "-o", bundle.toString())).isZero();
            String secondVersion = "sha256:" + Files.readString(site.resolve("demo.tar.gz.sha256")).substring(0, 64);
            assertThat(secondVersion).isNotEqualTo(firstVersion);
            assertThat(post(http, "/v1/reload")).startsWith("HTTP/1.1 200").endsWith("{\"version\":2}");
            assertThat(get(http, "/v1/status")).contains("\"contentVersion\":\"" + secondVersion + "\"");
            assertThat(served.await("gavel serve: serving")).contains(secondVersion).contains("snapshot 2");

            byte[] bytes = Files.readAllBytes(bundle);
            bytes[bytes.length / 2] ^= 1;
            Files.write(bundle, bytes);
            assertThat(post(http, "/v1/reload")).startsWith("HTTP/1.1 422").contains("RELOAD_FAILED")
                    .contains("SHA-256");
            assertThat(get(http, "/v1/status")).contains("\"contentVersion\":\"" + secondVersion + "\"")
                    .contains("\"reason\":\"DIGEST_MISMATCH\"");
            try (GavelClient client = GavelClient.connect(socket)) {
                CheckResult result = client.check(READ);
                assertThat(result.allowed()).isTrue();
                assertThat(result.snapshotVersion()).isEqualTo(2);
            }
        } finally {
            served.process().toHandle().destroy();
            web.stop(0);
        }
        assertThat(served.process().waitFor()).isEqualTo(143);
        assertThat(served.await("gavel serve: stopped")).contains("binary protocol: ").contains("HTTP API: ");
        assertThat(socket).doesNotExist();
        assertThat(http).doesNotExist();
    }

    @Test
    void answersTheStsQueryApiOnTheHttpPortWithSts() throws Exception {
        Served served = serve("--directory", "corpus/demo", "--http", "127.0.0.1:0", "--sts");
        try {
            String ready = served.await("gavel serve: ready");
            assertThat(ready).contains("STS query API at / on the HTTP API");
            Matcher port = Pattern.compile("HTTP API on 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertThat(port.find()).as(ready).isTrue();
            String alice = "AKIAW4POA2WMOQQL6P2Z";
            String secret = DirectoryLoader.loadFolderOrDump(Path.of("corpus/demo")).accessKey(alice).secretAccessKey();
            try (StsClient sts = StsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port.group(1)))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(alice, secret)))
                    .build()) {
                assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/alice");
            }
        } finally {
            served.process().toHandle().destroy();
        }
        assertThat(served.process().waitFor()).isEqualTo(143);
    }

    @Test
    void servesEnvoysExtAuthzWithTheS3MappingOnLoopbackTcp() throws Exception {
        Served served = serve("--directory", "corpus/demo", "--envoy", "127.0.0.1:0", "--s3-endpoint", "s3.localhost",
                "--gateway-region", "eu-west-1");
        ManagedChannel channel = null;
        try {
            String ready = served.await("gavel serve: ready");
            assertThat(ready).contains("gateways map the S3 REST API");
            Matcher port = Pattern.compile("Envoy ext_authz \\(gRPC\\) on 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertThat(port.find()).as(ready).isTrue();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(port.group(1))).usePlaintext()
                    .build();
            AuthorizationGrpc.AuthorizationBlockingStub envoy = AuthorizationGrpc.newBlockingStub(channel);

            String alice = "AKIAW4POA2WMOQQL6P2Z";
            String secret = DirectoryLoader.loadFolderOrDump(Path.of("corpus/demo")).accessKey(alice).secretAccessKey();
            SdkHttpRequest get = SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("https")
                    .host("example-payments-data.s3.localhost").encodedPath("/orders/1.csv").build();
            SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(get)
                    .identity(AwsCredentialsIdentity.create(alice, secret))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)).request();
            CheckResponse allowed = envoy.check(envoyCheck(signed));
            assertThat(allowed.getStatus().getCode()).as(allowed.toString()).isEqualTo(Code.OK_VALUE);
            assertThat(allowed.getOkResponse().getHeadersList()).anySatisfy(header -> {
                assertThat(header.getHeader().getKey()).isEqualTo("x-gavel-principal");
                assertThat(header.getHeader().getValue()).isEqualTo("arn:aws:iam::111122223333:user/alice");
            });

            CheckResponse anonymous = envoy.check(envoyCheck(get));
            assertThat(anonymous.getStatus().getCode()).isEqualTo(Code.PERMISSION_DENIED_VALUE);
            assertThat(anonymous.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
            assertThat(anonymous.getDeniedResponse().getBody()).contains("<Code>AccessDenied</Code>");
        } finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            served.process().toHandle().destroy();
        }
        assertThat(served.process().waitFor()).isEqualTo(143);
    }

    /** A check request as Envoy sends one for an HTTPS request. */
    private static CheckRequest envoyCheck(SdkHttpRequest request) {
        AttributeContext.HttpRequest.Builder http = AttributeContext.HttpRequest.newBuilder()
                .setMethod(request.method().name()).setPath(request.encodedPath()).setHost(request.host())
                .setScheme("https").setProtocol("HTTP/1.1");
        request.headers().forEach((name, values) -> http.putHeaders(name.toLowerCase(Locale.ROOT),
                String.join(",", values)));
        http.putHeaders(":authority", request.host());
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setRequest(AttributeContext.Request.newBuilder().setHttp(http))
                .setSource(AttributeContext.Peer.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress("203.0.113.9").setPortValue(51000))))).build();
    }

    @Test
    void refusesABrokenRouteTableNamingItsLineAndColumn() throws Exception {
        Path routes = folder.resolve("routes.json");
        Files.writeString(routes, "{\"Service\": \"execute-api\", \"Routes\": [{\"Method\": \"GET\", \"Path\": "
                + "\"/orders/{id}\", \"Acton\": \"orders:GetOrder\", \"Resource\": \"*\"}]}");
        Served served = serve("--directory", "corpus/demo", "--envoy-socket", folder.resolve("e.sock").toString(),
                "--gateway-routes", routes.toString());
        assertThat(served.await("gavel serve: ")).contains("routes.json");
        assertThat(served.await(routes + ":1:")).contains("Acton");
        assertThat(served.process().waitFor()).isEqualTo(2);
        assertThat(folder.resolve("e.sock")).doesNotExist();
    }

    @Test
    void refusesHttpGatewaysWithoutTheHttpApi() throws Exception {
        Served served = serve("--directory", "corpus/demo", "--socket", folder.resolve("g.sock").toString(),
                "--gateway");
        assertThat(served.await("--gateway answers on the HTTP API")).contains("--http-socket PATH");
        assertThat(served.process().waitFor()).isEqualTo(2);
    }

    @Test
    void refusesStsWithoutTheHttpApi() throws Exception {
        Served served = serve("--directory", "corpus/demo", "--socket", folder.resolve("g.sock").toString(), "--sts");
        assertThat(served.await("--sts answers on the HTTP API")).contains("--http 127.0.0.1:PORT");
        assertThat(served.process().waitFor()).isEqualTo(2);
    }

    @Test
    void refusesToStartWithNothingToServeOn() throws Exception {
        Served served = serve("--directory", "corpus/demo");
        assertThat(served.await("nothing to serve on")).contains("--socket PATH, --http-socket PATH");
        assertThat(served.process().waitFor()).isEqualTo(2);
    }

    private static int gavel(String... args) {
        CommandLine commandLine = SidecarCli.commandLine();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(new StringWriter()));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        assertThat(err.toString()).isEmpty();
        return exit;
    }

    private static String get(Path socket, String path) throws IOException {
        return exchange(socket, "GET " + path + " HTTP/1.1\r\nHost: gavel\r\nConnection: close\r\n\r\n");
    }

    private static String post(Path socket, String path) throws IOException {
        return exchange(socket, "POST " + path + " HTTP/1.1\r\nHost: gavel\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
    }

    /** One HTTP/1.1 request over the Unix socket; the whole response, headers and body. */
    private static String exchange(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                response.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
