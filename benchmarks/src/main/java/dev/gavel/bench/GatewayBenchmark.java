package dev.gavel.bench;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.gateway.Gateway;
import dev.gavel.gateway.GatewayDecision;
import dev.gavel.gateway.GatewayOptions;
import dev.gavel.gateway.GatewayRequest;
import dev.gavel.gateway.S3Routes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One S3 request through the gateway core, as every gateway adapter decides it: SigV4
 * verification (the credentials resolved once and cached), the S3 mapping with its condition
 * keys, and the engine's check. {@code signed} is a header-signed GetObject by a user,
 * {@code presigned} the same as a presigned URL, {@code anonymous} an unsigned GetObject that a
 * bucket policy allows (decided by the reference evaluator). The adapters' own costs (gRPC,
 * Jetty) come on top; {@code gavel load --protocol nginx|opa} measures those.
 *
 * <p>Run: {@code scripts/bench GatewayBenchmark -prof gc}. Signatures are made at setup and
 * stay valid for 15 minutes, longer than a run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class GatewayBenchmark {

    private static final String KEY = "AKIAGAVELBENCH000001";
    private static final String SECRET = "benchmarkSecret/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String USER_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::photos/home/alice/*"},
              {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::photos",
               "Condition": {"StringLike": {"s3:prefix": "home/alice/*"}}},
              {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}""";
    private static final String BUCKET_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/public/*"}]}""";

    @Param({"signed", "presigned", "anonymous"})
    public String request;

    Gateway gateway;
    GatewayRequest sent;

    @Setup
    public void setUp() throws Exception {
        Directory directory = Directory.builder()
                .account("111122223333", account -> account.managedPolicy("Photos", USER_POLICY)
                        .user("alice", user -> user.attach("Photos")))
                .accessKey(KEY, SECRET, "arn:aws:iam::111122223333:user/alice")
                .resourcePolicy("arn:aws:s3:::photos", "111122223333", BUCKET_POLICY)
                .build();
        gateway = new Gateway(Engine.of(directory), S3Routes.create("s3.localhost"), GatewayOptions.defaults());
        String path = request.equals("anonymous") ? "/public/index.html" : "/home/alice/2026/report%20q3.pdf";
        SdkHttpRequest get = SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("https")
                .host("photos.s3.localhost").encodedPath(path).build();
        SdkHttpRequest signed = request.equals("anonymous") ? get : AwsV4HttpSigner.create().sign(r -> {
            r.request(get).identity(AwsCredentialsIdentity.create(KEY, SECRET))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !request.equals("presigned"));
            if (request.equals("presigned")) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(15));
            }
        }).request();
        Map<String, List<String>> headers = new HashMap<>(signed.headers());
        headers.put("Host", List.of(signed.host()));
        headers.put("User-Agent", List.of("aws-sdk-java/2.57.8"));
        sent = new GatewayRequest("GET", "https", signed.host(), signed.encodedPath(),
                signed.encodedQueryParameters().orElse(""), headers, "203.0.113.9", null);
        GatewayDecision first = gateway.decide(sent);
        if (!first.allowed()) {
            throw new IllegalStateException("the benchmark's " + request + " request is refused: " + first.message());
        }
    }

    @Benchmark
    public GatewayDecision decide() {
        return gateway.decide(sent);
    }
}
