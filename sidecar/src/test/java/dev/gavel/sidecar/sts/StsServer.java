package dev.gavel.sidecar.sts;

import dev.gavel.Engine;
import dev.gavel.eval.RequestContext;
import dev.gavel.sidecar.http.HttpApi;
import dev.gavel.sidecar.http.HttpConfig;
import dev.gavel.sidecar.http.Status;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * The HTTP API with the STS query API mounted, on a loopback TCP port (AWS's clients need an
 * {@code http://} endpoint), over the demo directory, as {@code gavel serve --http 127.0.0.1:0
 * --sts} wires it.
 */
final class StsServer implements AutoCloseable {

    static final Path DEMO = Path.of("corpus", "demo");
    static final String PROD = "111122223333";
    static final String AUDITOR_KEY = "AKIAGVD66T24PKKALPTO";
    static final String ALICE_KEY = "AKIAW4POA2WMOQQL6P2Z";
    static final String BOB_KEY = "AKIAI4D2DUWHTCUYHTYF";
    static final String BOB_INACTIVE_KEY = "AKIA5PVYUYK5GMNDBWHZ";
    static final String CAROL_KEY = "AKIAXE3KLXKOPZFXPRQT";
    static final String VENDOR_ROLE = "arn:aws:iam::111122223333:role/VendorAuditRole";
    static final String VENDOR_EXTERNAL_ID = "vendor-7f3a91";
    static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/AdminRole";
    static final String DEPLOY_ROLE = "arn:aws:iam::111122223333:role/DeployRole";
    static final String ANALYST_ROLE = "arn:aws:iam::111122223333:role/SamlAnalystRole";
    static final String SAML_PROVIDER = "arn:aws:iam::111122223333:saml-provider/ExampleIdP";
    static final String GITHUB_PROVIDER =
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    static final String REPORT = "arn:aws:s3:::example-payments-reports/2026/q3.csv";
    /** The facts a request from the demo's workloads carries. */
    static final RequestContext TLS_EU = RequestContext.builder().put("aws:SecureTransport", "true")
            .put("aws:RequestedRegion", "eu-west-1").build();

    final Engine engine;
    final Metrics metrics = new Metrics();
    final HttpApi api;
    final URI endpoint;

    StsServer() throws Exception {
        engine = Engine.open(DEMO);
        HttpConfig config = HttpConfig.ofTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Instant started = Instant.now();
        api = new HttpApi(config, engine, engine::reload, () -> Status.ready(DEMO.toString(), started), metrics,
                DecisionLog.off());
        api.mount(StsQueryApi.PATH, new StsQueryApi(engine, Clock.systemUTC(), config.maxBodyBytes(), metrics));
        api.start();
        endpoint = URI.create("http://127.0.0.1:" + api.tcpPort());
    }

    /** The secret of a demo access key, from the directory served. */
    String secret(String accessKeyId) {
        return engine.directory().accessKey(accessKeyId).secretAccessKey();
    }

    /** The Prometheus text the server's metrics read now. */
    String metricsText() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeText(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        api.stop();
        engine.close();
    }
}
