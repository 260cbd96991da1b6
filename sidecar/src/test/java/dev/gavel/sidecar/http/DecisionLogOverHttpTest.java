package dev.gavel.sidecar.http;

import static dev.gavel.sidecar.http.HttpApiTest.ALICE;
import static dev.gavel.sidecar.http.HttpApiTest.ALICE_KEY;
import static dev.gavel.sidecar.http.HttpApiTest.DATA_OBJECT;
import static dev.gavel.sidecar.http.HttpApiTest.REPORT_OBJECT;
import static dev.gavel.sidecar.http.HttpApiTest.TLS_EU;
import static dev.gavel.sidecar.http.HttpApiTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.directory.Identity;
import dev.gavel.sts.AssumeRoleRequest;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.Sts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision log as the HTTP API writes it: one line per decision, ids as answered, no secret. */
class DecisionLogOverHttpTest {

    @TempDir
    Path folder;

    @Test
    void everyDecisionIsLoggedWithItsIdAndNoSecret() throws Exception {
        Path file = folder.resolve("decisions.jsonl");
        TestServer server = new TestServer(folder, file, config -> config);
        String byArn;
        String byKey;
        String bySession;
        IssuedSession session;
        try {
            byArn = Json.text(server.client.post("/v1/authorize", check(ALICE, "s3:GetObject", DATA_OBJECT, TLS_EU))
                    .json(), "decisionId");
            byKey = Json.text(server.client.post("/v1/authorize", "{\"accessKeyId\": \"" + ALICE_KEY
                    + "\", \"action\": \"s3:DeleteObject\", \"resource\": \"" + DATA_OBJECT + "\", \"context\": "
                    + TLS_EU + "}").json(), "decisionId");
            Sts sts = new Sts(server.engine.directory(), Clock.systemUTC(), new SecureRandom());
            Identity vendor = sts.credentials().resolve("AKIAGVD66T24PKKALPTO", null).identity();
            session = sts.assumeRole(vendor, AssumeRoleRequest.builder(
                    "arn:aws:iam::111122223333:role/VendorAuditRole", "vendor-audit").externalId("vendor-7f3a91").build());
            bySession = Json.text(server.client.post("/v1/authorize/batch", "{\"accessKeyId\": \""
                    + session.credentials().accessKeyId() + "\", \"sessionToken\": \""
                    + session.credentials().sessionToken() + "\", \"requests\": [{\"action\": \"s3:GetObject\", "
                    + "\"resource\": \"" + REPORT_OBJECT + "\", \"context\": " + TLS_EU + "}]}").json(),
                    "answers[0].decisionId");
            // Refused requests are not decisions, and are not logged.
            server.client.post("/v1/authorize", "{");
        } finally {
            server.close();
        }
        String text = Files.readString(file);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"decisionId\":\"" + byArn + "\",").contains(
                "\"principal\":\"" + ALICE + "\"", "\"action\":\"s3:GetObject\"", "\"resource\":\"" + DATA_OBJECT + "\"",
                "\"decision\":\"allowed\"", "\"version\":" + server.engine.version()).doesNotContain("accessKeyId");
        assertThat(lines.get(1)).startsWith("{\"decisionId\":\"" + byKey + "\",").contains(
                "\"accessKeyId\":\"" + ALICE_KEY + "\"", "\"decision\":\"implicitDeny\"");
        assertThat(lines.get(2)).startsWith("{\"decisionId\":\"" + bySession + "\",").contains(
                "\"principal\":\"arn:aws:sts::111122223333:assumed-role/VendorAuditRole/vendor-audit\"",
                "\"accessKeyId\":\"" + session.credentials().accessKeyId() + "\"");
        assertThat(text).doesNotContain(session.credentials().sessionToken())
                .doesNotContain(session.credentials().secretAccessKey())
                .doesNotContain("sessionToken").doesNotContain("secret");
    }
}
