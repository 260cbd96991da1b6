package dev.gavel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.condition.IpRange;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.sts.AssumeRoleRequest;
import dev.gavel.sts.Credentials;
import dev.gavel.sts.Sts;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * {@link Gateway#decide} with a route table over a small directory: requests signed by the AWS
 * SDK's own signer, in the header and presigned, decided as the policies say; the refusals of
 * unknown, expired, tampered, skewed and misdirected signatures; the anonymous caller; the
 * address and transport keys; the refusal's body and the allowed request's headers; credentials
 * cached across a reload.
 */
class GatewayTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    static final String ACCOUNT = "111122223333";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    static final String READER_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/OrdersReader";
    static final String ORDERS = "arn:aws:orders:eu-west-1:" + ACCOUNT + ":order/";
    static final String ALICE_KEY = "AKIAGATEWAYALICE0001";
    static final String ALICE_SECRET = "gatewayAliceSecret/K7MDENG+bPxRfiCYEXAMP";
    static final AwsCredentialsIdentity ALICE_KEYS = AwsCredentialsIdentity.create(ALICE_KEY, ALICE_SECRET);
    static final String CLIENT = "203.0.113.9";
    static final String STRANGER = "198.51.100.7";
    static final String PROXY = "10.0.0.5";

    static final String ROUTES = """
            {
              "Service": "execute-api",
              "Routes": [
                {"Method": "GET", "Path": "/orders", "Action": "orders:ListOrders", "Resource": "%1$s*"},
                {"Method": "GET", "Path": "/orders/{orderId}", "Operation": "GetOrder", "Action": "orders:GetOrder",
                 "Resource": "%1$s{orderId}", "Context": {"orders:Channel": {"Header": "x-channel"}}},
                {"Method": "DELETE", "Path": "/orders/{orderId}", "Action": "orders:CancelOrder",
                 "Resource": "%1$s{orderId}"},
                {"Method": "GET", "Path": "/health", "Action": "orders:GetHealth", "Resource": "*"}
              ]
            }
            """.formatted(ORDERS);

    /** Alice may read an order through the web channel, check health from the client network, and list over TLS. */
    static final String ALICE_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "orders:GetOrder", "Resource": "%1$s*",
               "Condition": {"StringEquals": {"orders:Channel": "web"}}},
              {"Effect": "Allow", "Action": "orders:GetHealth", "Resource": "*",
               "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
              {"Effect": "Allow", "Action": "orders:ListOrders", "Resource": "*",
               "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
              {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "%2$s"}
            ]}
            """.formatted(ORDERS, READER_ROLE);

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicLong ids = new AtomicLong();
    private Engine engine;
    private RouteTable routes;

    @BeforeEach
    void open() throws Exception {
        writeDirectory(true);
        engine = Engine.open(folder, clock);
        routes = RouteTable.parse("routes.json", ROUTES);
    }

    private void writeDirectory(boolean withAliceKey) throws Exception {
        Files.createDirectories(folder.resolve("accounts"));
        String trust = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
                + ALICE + "\"}, \"Action\": \"sts:AssumeRole\"}]}";
        String readOrders = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
                + "\"orders:GetOrder\", \"Resource\": \"" + ORDERS + "*\"}]}";
        Files.writeString(folder.resolve("accounts/" + ACCOUNT + ".json"), "{\"UserDetailList\": [{\"Path\": \"/\", "
                + "\"UserName\": \"alice\", \"UserId\": \"AIDAALICE000000000\", \"Arn\": \"" + ALICE + "\", "
                + "\"GroupList\": [], \"UserPolicyList\": [{\"PolicyName\": \"Orders\", \"PolicyDocument\": "
                + ALICE_POLICY + "}], \"AttachedManagedPolicies\": [], \"Tags\": []}], \"RoleDetailList\": [{"
                + "\"Path\": \"/\", \"RoleName\": \"OrdersReader\", \"RoleId\": \"AROAORDERSREADER00\", \"Arn\": \""
                + READER_ROLE + "\", \"AssumeRolePolicyDocument\": " + trust + ", \"MaxSessionDuration\": 3600, "
                + "\"RolePolicyList\": [{\"PolicyName\": \"Read\", \"PolicyDocument\": " + readOrders + "}], "
                + "\"AttachedManagedPolicies\": [], \"Tags\": []}], \"Policies\": []}");
        Files.writeString(folder.resolve("access-keys.json"), "{\"AccessKeys\": [" + (withAliceKey
                ? "{\"AccessKeyId\": \"" + ALICE_KEY + "\", \"SecretAccessKey\": \"" + ALICE_SECRET + "\", "
                        + "\"UserArn\": \"" + ALICE + "\", \"Status\": \"Active\", \"CreateDate\": \"2025-01-01T00:00:00Z\"}"
                : "") + "]}");
        Files.writeString(folder.resolve("session-keys.json"), "{\"SessionKeys\": [{\"KeyId\": \"k1\", \"Secret\": "
                + "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\", \"CreateDate\": \"2026-01-01T00:00:00Z\"}]}");
    }

    private Gateway gateway() {
        return gateway(GatewayOptions.defaults());
    }

    private Gateway gateway(GatewayOptions options) {
        return new Gateway(engine, routes, options.withClock(clock).withDecisionIds(() -> "d-" + ids.incrementAndGet()));
    }

    /** A request to the orders API, signed by the SDK's signer unless {@link #unsigned} is asked for. */
    private final class Call {
        private SdkHttpMethod method = SdkHttpMethod.GET;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private AwsCredentialsIdentity identity = ALICE_KEYS;
        private String service = "execute-api";
        private Instant signedAt = clock.instant();
        private Duration presignedFor;
        private String scheme = "https";
        private String peer = CLIENT;

        Call(String path) {
            this.path = path;
        }

        Call method(SdkHttpMethod method) {
            this.method = method;
            return this;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Call as(AwsCredentialsIdentity identity) {
            this.identity = identity;
            return this;
        }

        Call service(String service) {
            this.service = service;
            return this;
        }

        Call signedAt(Instant signedAt) {
            this.signedAt = signedAt;
            return this;
        }

        Call presignedFor(Duration duration) {
            this.presignedFor = duration;
            return this;
        }

        Call scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        Call from(String peer) {
            this.peer = peer;
            return this;
        }

        private SdkHttpFullRequest http() {
            SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder().method(method).protocol("https")
                    .host("orders.example.com").encodedPath(path);
            query.forEach(http::appendRawQueryParameter);
            headers.forEach(http::putHeader);
            return http.build();
        }

        GatewayRequest unsigned() {
            SdkHttpFullRequest http = http();
            Map<String, List<String>> sent = new LinkedHashMap<>(http.headers());
            sent.put("Host", List.of(http.host()));
            return new GatewayRequest(method.name(), scheme, http.host(), http.encodedPath(),
                    http.encodedQueryParameters().orElse(""), sent, peer, null);
        }

        GatewayRequest signed() {
            SdkHttpFullRequest unsigned = http();
            SdkHttpRequest sent = AwsV4HttpSigner.create().sign(r -> {
                r.request(unsigned).identity(identity)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1");
                if (presignedFor != null) {
                    r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                            .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignedFor);
                }
            }).request();
            return new GatewayRequest(sent.method().name(), scheme, sent.host(), sent.encodedPath(),
                    sent.encodedQueryParameters().orElse(""), sent.headers(), peer, null);
        }
    }

    private Call call(String path) {
        return new Call(path);
    }

    private static void refused(GatewayDecision decision, int status, String code) {
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.status()).isEqualTo(status);
        assertThat(decision.errorCode()).isEqualTo(code);
    }

    // ---- signed by a user's key

    @Test
    void aHeaderSignedRequestIsDecidedByTheKeyAHeaderGives() {
        Gateway gateway = gateway();

        GatewayDecision web = gateway.decide(call("/orders/o-42").header("x-channel", "web").signed());
        GatewayDecision partner = gateway.decide(call("/orders/o-42").header("x-channel", "partner").signed());
        GatewayDecision none = gateway.decide(call("/orders/o-42").signed());

        assertThat(web.allowed()).isTrue();
        assertThat(web.status()).isEqualTo(200);
        assertThat(web.principal()).isEqualTo(ALICE);
        assertThat(web.mapped().operation()).isEqualTo("GetOrder");
        assertThat(web.mapped().resource()).isEqualTo(ORDERS + "o-42");
        refused(partner, 403, "AccessDenied");
        assertThat(partner.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(partner.message()).isEqualTo("User: " + ALICE + " is not authorized to perform: orders:GetOrder on "
                + "resource: \"" + ORDERS + "o-42\" because no policy allows it");
        refused(none, 403, "AccessDenied");
    }

    @Test
    void aPresignedRequestIsDecidedLikeASignedOne() {
        Gateway gateway = gateway();

        GatewayRequest allowed = call("/orders/o-42").header("x-channel", "web").presignedFor(Duration.ofMinutes(5))
                .signed();
        GatewayRequest denied = call("/orders/o-42").method(SdkHttpMethod.DELETE).presignedFor(Duration.ofMinutes(5))
                .signed();

        assertThat(allowed.header("authorization")).isNull();
        assertThat(allowed.rawQuery()).contains("X-Amz-Signature=");
        assertThat(gateway.decide(allowed).allowed()).isTrue();
        GatewayDecision cancel = gateway.decide(denied);
        refused(cancel, 403, "AccessDenied");
        assertThat(cancel.mapped().action()).isEqualTo("orders:CancelOrder");
    }

    @Test
    void anAllowedRequestsHeadersNameThePrincipalAndTheDecision() {
        GatewayDecision decision = gateway().decide(call("/orders/o-42").header("x-channel", "web").signed());

        assertThat(decision.headers()).containsExactly(Map.entry(GatewayDecision.PRINCIPAL_HEADER, ALICE),
                Map.entry(GatewayDecision.DECISION_ID_HEADER, decision.decisionId()));
        assertThat(decision.decisionId()).isEqualTo("d-1");
    }

    @Test
    void aDenialsBodyIsAwsXmlWithCodeMessageAndDecisionId() throws Exception {
        GatewayDecision decision = gateway().decide(call("/orders/o-42").header("x-channel", "<partner & co>")
                .signed());

        Document xml = parse(decision.errorXml());

        assertThat(xml.getDocumentElement().getTagName()).isEqualTo("Error");
        assertThat(text(xml, "Code")).isEqualTo("AccessDenied");
        assertThat(text(xml, "Message")).isEqualTo(decision.message()).contains(ALICE, "orders:GetOrder");
        assertThat(text(xml, "RequestId")).isEqualTo(decision.decisionId());
        assertThat(text(xml, "Resource")).isEqualTo("/orders/o-42");
        assertThat(decision.headers()).containsEntry("x-amz-request-id", decision.decisionId())
                .doesNotContainKey(GatewayDecision.PRINCIPAL_HEADER);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document xml, String element) {
        return xml.getElementsByTagName(element).item(0).getTextContent();
    }

    @Test
    void aRequestNoRouteMatchesIsRefusedAfterItsCallerIsKnown() {
        GatewayDecision decision = gateway().decide(call("/invoices/1").signed());

        refused(decision, 403, "AccessDenied");
        assertThat(decision.message()).isEqualTo("No route of the route table matches GET /invoices/1.");
        assertThat(decision.principal()).isEqualTo(ALICE);
        assertThat(decision.mapped()).isNull();
        assertThat(decision.decision()).isNull();
    }

    // ---- signatures refused

    @Test
    void anUnknownKeyIsInvalidAccessKeyId() {
        GatewayDecision decision = gateway().decide(call("/orders/o-42").header("x-channel", "web")
                .as(AwsCredentialsIdentity.create("AKIAGATEWAYNOBODY001", ALICE_SECRET)).signed());

        refused(decision, 403, "InvalidAccessKeyId");
        assertThat(decision.principal()).isNull();
    }

    @Test
    void aTamperedRequestIsSignatureDoesNotMatch() {
        GatewayRequest signed = call("/orders/o-42").header("x-channel", "web").signed();
        GatewayRequest otherOrder = new GatewayRequest(signed.method(), signed.scheme(), signed.host(),
                "/orders/o-43", signed.rawQuery(), signed.headers(), signed.peerAddress(), null);
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.put("x-channel", List.of("partner"));
        GatewayRequest otherChannel = new GatewayRequest(signed.method(), signed.scheme(), signed.host(),
                signed.rawPath(), signed.rawQuery(), headers, signed.peerAddress(), null);

        refused(gateway().decide(otherOrder), 403, "SignatureDoesNotMatch");
        refused(gateway().decide(otherChannel), 403, "SignatureDoesNotMatch");
        assertThat(gateway().decide(signed).allowed()).isTrue();
    }

    @Test
    void aRequestSignedTooLongAgoIsRequestTimeTooSkewed() {
        GatewayDecision decision = gateway().decide(call("/orders/o-42").header("x-channel", "web")
                .signedAt(NOW.minus(Duration.ofMinutes(20))).signed());

        refused(decision, 403, "RequestTimeTooSkewed");
    }

    @Test
    void aSignatureForAnotherServiceIsRefused() {
        GatewayDecision decision = gateway().decide(call("/orders/o-42").header("x-channel", "web").service("s3")
                .signed());

        refused(decision, 403, "SignatureDoesNotMatch");
        assertThat(decision.message()).contains("'execute-api'");
    }

    @Test
    void anUnsignedRequestIsTheAnonymousCallerWhomNoResourcePolicyAllows() {
        GatewayDecision decision = gateway().decide(call("/health").unsigned());

        refused(decision, 403, "AccessDenied");
        assertThat(decision.principal()).isEqualTo("anonymous");
        assertThat(decision.message()).startsWith("Anonymous caller is not authorized to perform: orders:GetHealth");
        assertThat(decision.decision()).isEqualTo(Decision.IMPLICIT_DENY);
    }

    // ---- sessions

    @Test
    void aSessionsCredentialsActUntilTheyExpire() throws Exception {
        Sts sts = new Sts(engine.directory(), clock, new SecureRandom());
        Credentials session = sts.assumeRole(sts.authorizer().identity(ALICE),
                AssumeRoleRequest.of(READER_ROLE, "reader")).credentials();
        AwsCredentialsIdentity keys = AwsSessionCredentialsIdentity.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken());
        Gateway gateway = gateway();

        GatewayDecision read = gateway.decide(call("/orders/o-42").as(keys).signed());
        GatewayDecision cancel = gateway.decide(call("/orders/o-42").method(SdkHttpMethod.DELETE).as(keys).signed());
        clock.now = session.expiration().plusSeconds(1);
        GatewayDecision late = gateway.decide(call("/orders/o-42").as(keys).signed());

        assertThat(session.accessKeyId()).startsWith("ASIA");
        assertThat(read.allowed()).isTrue();
        assertThat(read.principal()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/OrdersReader/reader");
        refused(cancel, 403, "AccessDenied");
        refused(late, 400, "ExpiredToken");
    }

    @Test
    void aSessionKeyWithoutItsTokenOrWithAnAlteredOneIsRefused() throws Exception {
        Sts sts = new Sts(engine.directory(), clock, new SecureRandom());
        Credentials session = sts.assumeRole(sts.authorizer().identity(ALICE),
                AssumeRoleRequest.of(READER_ROLE, "reader")).credentials();
        String token = session.sessionToken();
        String altered = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);

        GatewayDecision withoutToken = gateway().decide(call("/orders/o-42")
                .as(AwsCredentialsIdentity.create(session.accessKeyId(), session.secretAccessKey())).signed());
        GatewayDecision alteredToken = gateway().decide(call("/orders/o-42").as(AwsSessionCredentialsIdentity.create(
                session.accessKeyId(), session.secretAccessKey(), altered)).signed());

        refused(withoutToken, 403, "InvalidAccessKeyId");
        refused(alteredToken, 400, "InvalidToken");
    }

    @Test
    void cachedCredentialsAreRefusedOnceAReloadRemovesTheKey() throws Exception {
        Gateway gateway = gateway();
        assertThat(gateway.decide(call("/orders/o-42").header("x-channel", "web").signed()).allowed()).isTrue();

        writeDirectory(false);
        engine.reload();
        GatewayDecision after = gateway.decide(call("/orders/o-42").header("x-channel", "web").signed());

        refused(after, 403, "InvalidAccessKeyId");
        assertThat(after.version()).isEqualTo(engine.version());
    }

    // ---- keys the gateway fills

    @Test
    void theSourceAddressIsThePeersWithoutATrustedProxy() {
        Gateway gateway = gateway();

        assertThat(gateway.decide(call("/health").from(CLIENT).signed()).allowed()).isTrue();
        assertThat(gateway.decide(call("/health").from(STRANGER).signed()).allowed()).isFalse();
        assertThat(gateway.decide(call("/health").from(STRANGER).header("X-Forwarded-For", CLIENT).signed())
                .allowed()).as("a forwarded header, with no proxy trusted").isFalse();
    }

    @Test
    void aForwardedAddressCountsOnlyFromATrustedProxyOrAUnixSocket() {
        Gateway gateway = gateway(GatewayOptions.defaults().withForwardedFor("X-Forwarded-For",
                List.of(IpRange.parse("10.0.0.0/8"))));

        assertThat(gateway.decide(call("/health").from(PROXY).header("X-Forwarded-For", CLIENT).signed()).allowed())
                .as("from a trusted proxy").isTrue();
        assertThat(gateway.decide(call("/health").from(null).header("X-Forwarded-For", CLIENT).signed()).allowed())
                .as("from a Unix socket").isTrue();
        assertThat(gateway.decide(call("/health").from(STRANGER).header("X-Forwarded-For", CLIENT).signed())
                .allowed()).as("from an untrusted peer").isFalse();
        assertThat(gateway.decide(call("/health").from(PROXY).header("X-Forwarded-For", CLIENT + ", " + STRANGER)
                .signed()).allowed()).as("a client's own claim before the last untrusted hop").isFalse();
        assertThat(gateway.decide(call("/health").from(PROXY).header("X-Forwarded-For", CLIENT + ", 10.0.0.7")
                .signed()).allowed()).as("through two trusted proxies").isTrue();
        assertThat(gateway.decide(call("/health").from(PROXY).signed()).allowed())
                .as("a trusted proxy's own request").isFalse();
    }

    @Test
    void secureTransportIsTheScheme() {
        Gateway gateway = gateway();
        GatewayRequest signed = call("/orders").signed();
        GatewayRequest overHttp = new GatewayRequest(signed.method(), "http", signed.host(), signed.rawPath(),
                signed.rawQuery(), signed.headers(), signed.peerAddress(), null);

        assertThat(gateway.decide(signed).allowed()).isTrue();
        assertThat(gateway.decide(overHttp).allowed()).isFalse();
        assertThat(gateway.decide(call("/orders").scheme("http").signed()).allowed()).isFalse();
    }

    @Test
    void aMapperCannotSupplyTheKeysTheGatewayFills() {
        RequestMapper forging = new RequestMapper() {
            @Override
            public String signingName() {
                return "execute-api";
            }

            @Override
            public MappedRequest map(GatewayRequest request, Authentication authentication) {
                return new MappedRequest("GetHealth", "orders:GetHealth", "*", RequestContext.builder()
                        .put("aws:SourceIp", request.header("x-claimed-ip")).build());
            }
        };
        Gateway gateway = new Gateway(engine, forging, GatewayOptions.defaults().withClock(clock));

        GatewayDecision decision = gateway.decide(call("/health").from(STRANGER).header("x-claimed-ip", CLIENT)
                .signed());

        refused(decision, 403, "AccessDenied");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
