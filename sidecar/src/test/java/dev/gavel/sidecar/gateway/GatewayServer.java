package dev.gavel.sidecar.gateway;

import dev.gavel.Engine;
import dev.gavel.gateway.Gateway;
import dev.gavel.gateway.GatewayOptions;
import dev.gavel.gateway.S3Routes;
import dev.gavel.sidecar.http.HttpApi;
import dev.gavel.sidecar.http.HttpConfig;
import dev.gavel.sidecar.http.Status;
import dev.gavel.sidecar.log.DecisionLog;
import dev.gavel.sidecar.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The HTTP API on a Unix socket with the NGINX endpoint and OPA's data API mounted, deciding
 * with Gavel's S3 mapping, over a
 * directory of one user, alice, who may get and put objects in {@code photos} except under
 * {@code photos/private/}, where an explicit deny stops her, and under {@code photos/office/} from
 * outside 10.0.0.0/8 and loopback. Gateways' forwarded header is {@code X-Forwarded-For}, believed from Unix-socket peers.
 */
final class GatewayServer implements AutoCloseable {

    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final String ALICE_KEY = "AKIAGAVELTESTALICE01";
    static final String ALICE_SECRET = "aliceSecretAccessKey0123456789abcdefghij";

    final Engine engine;
    final Gateway gateway;
    final HttpApi api;

    GatewayServer(Path folder) throws Exception {
        Path directory = writeDirectory(folder.resolve("directory"));
        engine = Engine.open(directory);
        gateway = new Gateway(engine, S3Routes.create(), GatewayOptions.defaults().withForwardedFor("X-Forwarded-For", List.of()));
        Metrics metrics = new Metrics();
        Instant started = Instant.now();
        api = new HttpApi(HttpConfig.of(folder.resolve("gavel.sock")), engine, engine::reload,
                () -> Status.ready(directory.toString(), started), metrics, DecisionLog.off());
        api.mount(NginxAuthRequest.PATH, new NginxAuthRequest(gateway));
        new OpaDataApi(gateway, HttpConfig.DEFAULT_MAX_BODY_BYTES).mountOn(api);
        api.start();
    }

    Path socket() {
        return api.socket();
    }

    private static Path writeDirectory(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("accounts"));
        String policy = """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::photos/*"},
                  {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/private/*"},
                  {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/office/*",
                   "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "127.0.0.0/8"]}}}]}""";
        Files.writeString(folder.resolve("accounts/111122223333.json"), """
                {"UserDetailList": [{"Path": "/", "UserName": "alice", "UserId": "AIDAALICE0000000000", "Arn": "%s",
                  "GroupList": [], "UserPolicyList": [{"PolicyName": "Photos", "PolicyDocument": %s}],
                  "AttachedManagedPolicies": [], "Tags": []}], "RoleDetailList": [], "Policies": []}
                """.formatted(ALICE, policy));
        Files.writeString(folder.resolve("access-keys.json"), """
                {"AccessKeys": [{"AccessKeyId": "%s", "SecretAccessKey": "%s", "UserArn": "%s", "Status": "Active",
                  "CreateDate": "2025-01-01T00:00:00Z"}]}
                """.formatted(ALICE_KEY, ALICE_SECRET, ALICE));
        return folder;
    }

    @Override
    public void close() {
        api.stop();
        engine.close();
    }
}
