package dev.gavel.sidecar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sts.SigV4Verifier;
import dev.gavel.sts.SignedRequest;
import dev.gavel.sts.StsException;
import dev.gavel.sts.VerifiedSignature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The S3 calls gavel load sends to gateway endpoints: the REST request of each action, signed so Gavel's verifier accepts it. */
class S3CallsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final S3Calls.Credentials KEY = new S3Calls.Credentials("AKIAGAVELLOADTEST001",
            "loadTestSecret/K7MDENG+bPxRfiCYEXAMPLE", null);

    @Test
    void eachSupportedActionBecomesItsRestCallAndOthersAreLeftOut() {
        List<S3Calls.Call> calls = S3Calls.of(List.of(
                Check.of("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::reports/q3 2026/a+b.csv"),
                Check.of("arn:aws:iam::111122223333:user/alice", "s3:ListBucket", "arn:aws:s3:::reports"),
                Check.of("arn:aws:iam::111122223333:user/alice", "s3:PutObject", "arn:aws:s3:::reports/*"),
                Check.of("arn:aws:iam::111122223333:user/alice", "ec2:RunInstances", "*"),
                Check.of("arn:aws:iam::111122223333:user/alice", "s3:GetObjectTagging", "arn:aws:s3:::reports/k")),
                null, "us-east-1", CLOCK);
        assertThat(calls).extracting(S3Calls.Call::method, S3Calls.Call::rawPath)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/reports/q3%202026/a%2Bb.csv"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/reports"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/reports/k"));
        assertThat(calls.get(1).rawQuery()).isEqualTo("list-type=2");
        assertThat(calls.get(2).rawQuery()).startsWith("tagging");
        assertThat(calls.get(0).headers()).doesNotContainKey("Authorization");
    }

    @Test
    void signedCallsVerifyAsSentAndNotOnceChanged() throws StsException {
        S3Calls.Call call = S3Calls.of(List.of(Check.of("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
                "arn:aws:s3:::reports/q3 2026/a+b.csv")), KEY, "eu-west-1", CLOCK).get(0);
        SigV4Verifier verifier = new SigV4Verifier((id, token) -> {
            if (!id.equals(KEY.accessKeyId())) {
                throw new StsException("InvalidClientTokenId", "unknown key");
            }
            return KEY.secretAccessKey();
        }, CLOCK);

        VerifiedSignature signature = verifier.verify(new SignedRequest(call.method(), call.rawPath(), call.rawQuery(),
                call.headers(), null));
        assertThat(signature.accessKeyId()).isEqualTo(KEY.accessKeyId());
        assertThat(signature.region()).isEqualTo("eu-west-1");
        assertThat(signature.service()).isEqualTo("s3");
        assertThatThrownBy(() -> verifier.verify(new SignedRequest(call.method(), "/reports/other.csv",
                call.rawQuery(), call.headers(), null))).isInstanceOf(StsException.class)
                .hasFieldOrPropertyWithValue("code", "SignatureDoesNotMatch");
    }

    @Test
    void credentialsComeFromAwssEnvironmentVariablesOrNotAtAll() {
        assertThat(S3Calls.Credentials.fromEnvironment(Map.of())).isNull();
        assertThat(S3Calls.Credentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIAX"))).isNull();
        S3Calls.Credentials session = S3Calls.Credentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "ASIAX",
                "AWS_SECRET_ACCESS_KEY", "s", "AWS_SESSION_TOKEN", "t"));
        assertThat(session.sessionToken()).isEqualTo("t");
        assertThat(session.toString()).doesNotContain("s\"").isEqualTo("ASIAX");
    }
}
