package dev.gavel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request that needs more than one action (CopyObject reads its source and writes its target)
 * is allowed only when every one is, and its denial names the one refused; every decision reaches
 * the gateway's observer, refusals included.
 */
class GatewayRequirementsTest {

    private static final String SHARE = """
            {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/public/*"},
             {"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::shared/inbox/*"}]}""";

    /** Copies {@code ?from=KEY} into the path's key, as a PUT with a copy source would. */
    private static final RequestMapper COPY = new RequestMapper() {
        @Override
        public String signingName() {
            return "s3";
        }

        @Override
        public MappedRequest map(GatewayRequest request, Authentication authentication) throws GatewayException {
            if (!request.rawQuery().startsWith("from=")) {
                throw new GatewayException("InvalidRequest", 400, "no source to copy from");
            }
            return new MappedRequest("CopyObject", "s3:PutObject", "arn:aws:s3:::shared" + request.rawPath(),
                    RequestContext.empty(), List.of(new MappedRequest.Requirement("s3:GetObject",
                            "arn:aws:s3:::shared/" + request.rawQuery().substring("from=".length()))));
        }
    };

    private final List<GatewayDecision> observed = new ArrayList<>();
    private final Gateway gateway;

    GatewayRequirementsTest() throws DirectoryException {
        gateway = new Gateway(Engine.of(Directory.builder().account("111122223333", account -> {})
                .resourcePolicy("arn:aws:s3:::shared", "111122223333", SHARE).build()), COPY,
                GatewayOptions.defaults(), observed::add);
    }

    private static GatewayRequest copy(String target, String source) {
        return new GatewayRequest("PUT", "https", "s3.localhost", target, source == null ? "" : "from=" + source,
                Map.of(), "198.51.100.7", null);
    }

    @Test
    void aCopyIsAllowedOnlyWhenBothItsReadAndItsWriteAre() {
        GatewayDecision allowed = gateway.decide(copy("/inbox/a.txt", "public/a.txt"));
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.principal()).isEqualTo("anonymous");

        GatewayDecision unreadable = gateway.decide(copy("/inbox/a.txt", "private/a.txt"));
        assertThat(unreadable.allowed()).isFalse();
        assertThat(unreadable.status()).isEqualTo(403);
        assertThat(unreadable.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(unreadable.message()).contains("s3:GetObject").contains("arn:aws:s3:::shared/private/a.txt");

        GatewayDecision unwritable = gateway.decide(copy("/outbox/a.txt", "public/a.txt"));
        assertThat(unwritable.allowed()).isFalse();
        assertThat(unwritable.message()).contains("s3:PutObject").contains("arn:aws:s3:::shared/outbox/a.txt");
    }

    @Test
    void everyDecisionReachesTheObserverWithItsOwnId() {
        GatewayDecision allowed = gateway.decide(copy("/inbox/a.txt", "public/a.txt"));
        GatewayDecision refused = gateway.decide(copy("/inbox/a.txt", null));
        assertThat(refused.errorCode()).isEqualTo("InvalidRequest");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(observed).containsExactly(allowed, refused);
        assertThat(allowed.decisionId()).isNotEqualTo(refused.decisionId());
    }
}
