package dev.gavel.sidecar.envoy;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.eval.RequestContext;
import dev.gavel.gateway.Authentication;
import dev.gavel.gateway.Gateway;
import dev.gavel.gateway.GatewayException;
import dev.gavel.gateway.GatewayOptions;
import dev.gavel.gateway.GatewayRequest;
import dev.gavel.gateway.MappedRequest;
import dev.gavel.gateway.RequestMapper;

/**
 * A gateway over a small directory, with a mapper of object reads and writes: {@code GET} and
 * {@code PUT} on {@code /bucket/key} are {@code s3:GetObject} and {@code s3:PutObject} on
 * {@code arn:aws:s3:::bucket/key}.
 *
 * <p>Alice reads and writes her reports over TLS; the bucket {@code public} lets anyone read.
 */
final class TestGateways {

    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final String ALICE_KEY = "AKIAALICE00000000001";
    static final String ALICE_SECRET = "alice/secret/0123456789abcdefghijklmnopqrs";

    private static final String ALICE_REPORTS = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
             "Resource": "arn:aws:s3:::reports/alice/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}""";
    private static final String PUBLIC_READS = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::public/*"}]}""";

    private TestGateways() {}

    static Engine engine() throws DirectoryException {
        Directory directory = Directory.builder()
                .account("111122223333", account -> account.managedPolicy("AliceReports", ALICE_REPORTS)
                        .user("alice", user -> user.attach("AliceReports")))
                .resourcePolicy("arn:aws:s3:::public", "111122223333", PUBLIC_READS)
                .accessKey(ALICE_KEY, ALICE_SECRET, ALICE)
                .build();
        return Engine.of(directory);
    }

    static Gateway gateway(Engine engine) {
        return new Gateway(engine, new ObjectMapper(), GatewayOptions.defaults());
    }

    static Gateway gateway(Engine engine, RequestMapper mapper) {
        return new Gateway(engine, mapper, GatewayOptions.defaults());
    }

    /** GET and PUT on {@code /bucket/key}, signed for {@code s3}. */
    static final class ObjectMapper implements RequestMapper {

        @Override
        public String signingName() {
            return "s3";
        }

        @Override
        public MappedRequest map(GatewayRequest request, Authentication authentication) throws GatewayException {
            String action = switch (request.method()) {
                case "GET" -> "s3:GetObject";
                case "PUT" -> "s3:PutObject";
                default -> throw new GatewayException("MethodNotAllowed", 405,
                        "The specified method is not allowed against this resource.");
            };
            int slash = request.rawPath().indexOf('/', 1);
            if (slash < 0 || slash == request.rawPath().length() - 1) {
                throw new GatewayException("NotImplemented", 501, "Only objects are mapped here.");
            }
            String resource = "arn:aws:s3:::" + request.rawPath().substring(1);
            return new MappedRequest(action.substring(3), action, resource, RequestContext.empty());
        }
    }
}
