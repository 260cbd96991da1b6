package dev.gavel.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Identity;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A gateway's whole path: a request signed by the AWS SDK with the demo's credentials is
 * verified, its access key resolved to a user or a session, and the request decided.
 */
class SignedRequestsTest {

    private static final String REPORT = "arn:aws:s3:::example-payments-reports/2026/q3.csv";
    private static final RequestContext FACTS = RequestContext.builder().put("aws:SecureTransport", "true")
            .put("aws:RequestedRegion", "eu-west-1").build();

    private Sts sts;
    private SigV4Verifier verifier;

    @BeforeEach
    void load() throws Exception {
        Directory directory = DirectoryLoader.load(Path.of("corpus", "demo"));
        Clock clock = Clock.fixed(SigV4VerifierTest.NOW, ZoneOffset.UTC);
        sts = new Sts(directory, clock, new SecureRandom());
        verifier = new SigV4Verifier(sts.credentials(), clock);
    }

    private Identity authenticate(SignedRequest request) throws StsException {
        VerifiedSignature signature = verifier.verify(request);
        return sts.credentials().resolve(signature.accessKeyId(), signature.sessionToken()).identity();
    }

    @Test
    void aUserSignsWithItsLongTermKey() throws Exception {
        SignedRequest request = SigV4VerifierTest.Call.to("sqs").region("eu-west-1").method(SdkHttpMethod.POST)
                .body("Action=SendMessage&MessageBody=hello")
                .as(AwsCredentialsIdentity.create("AKIAW4POA2WMOQQL6P2Z", "8QO4/RaNP3z4cFrwxIqa5N5NTW0wPq8VLJeDTPpS"))
                .sign();
        Identity alice = authenticate(request);
        assertThat(alice.principalArn()).isEqualTo("arn:aws:iam::111122223333:user/alice");
        assertThat(sts.authorizer().authorize(alice, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:orders",
                FACTS).decision()).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void aSessionSignsWithItsTemporaryCredentialsInHeadersOrAPresignedUrl() throws Exception {
        IssuedSession issued = sts.assumeRole(sts.credentials().resolve("AKIAGVD66T24PKKALPTO", null).identity(),
                new AssumeRoleRequest("arn:aws:iam::111122223333:role/VendorAuditRole", "audit-2026", null,
                        "vendor-7f3a91", null, null, null, null, null, null, null, null));
        AwsSessionCredentialsIdentity credentials = AwsSessionCredentialsIdentity.create(
                issued.credentials().accessKeyId(), issued.credentials().secretAccessKey(),
                issued.credentials().sessionToken());
        SignedRequest header = SigV4VerifierTest.Call.to("s3").region("eu-west-1").path("/2026/q3.csv")
                .as(credentials).sign();
        SignedRequest presigned = SigV4VerifierTest.Call.to("s3").region("eu-west-1").path("/2026/q3.csv")
                .as(credentials).presignedFor(Duration.ofMinutes(10)).sign();
        for (SignedRequest request : new SignedRequest[] {header, presigned}) {
            Identity session = authenticate(request);
            assertThat(session.principalArn())
                    .isEqualTo("arn:aws:sts::111122223333:assumed-role/VendorAuditRole/audit-2026");
            assertThat(sts.authorizer().authorize(session, "s3:GetObject", REPORT, FACTS).decision())
                    .isEqualTo(Decision.ALLOWED);
        }
        AwsSessionCredentialsIdentity wrongSecret = AwsSessionCredentialsIdentity.create(
                issued.credentials().accessKeyId(), "x".repeat(40), issued.credentials().sessionToken());
        SignedRequest forged = SigV4VerifierTest.Call.to("s3").region("eu-west-1").path("/2026/q3.csv")
                .as(wrongSecret).sign();
        assertThatThrownBy(() -> authenticate(forged)).isInstanceOfSatisfying(StsException.class,
                e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    void anInactiveKeyIsRefusedBeforeAnySignatureCheck() {
        SignedRequest request = SigV4VerifierTest.Call.to("sts").region("us-east-1").method(SdkHttpMethod.POST)
                .body("Action=GetCallerIdentity&Version=2011-06-15")
                .as(AwsCredentialsIdentity.create("AKIA5PVYUYK5GMNDBWHZ", "bfNF2MP4HwICZFZkCms5Gx1sbjQuhnM+MyXL6JpG"))
                .sign();
        assertThatThrownBy(() -> authenticate(request)).isInstanceOfSatisfying(StsException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidClientTokenId"));
    }
}
