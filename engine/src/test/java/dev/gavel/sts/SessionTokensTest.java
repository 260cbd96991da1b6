package dev.gavel.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.directory.Session;
import dev.gavel.directory.SessionKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final SessionKey OLD = key("k-old", 1, "2026-05-01T00:00:00Z");
    private static final SessionKey NEW = key("k-new", 2, "2026-11-01T00:00:00Z");

    private static SessionKey key(String id, int fill, String created) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) fill);
        return new SessionKey(id, secret, Instant.parse(created));
    }

    private static Session session(String accessKeyId, Instant expires) {
        return new Session(Session.Kind.ASSUMED_ROLE, "111122223333", "arn:aws:iam::111122223333:role/App", null,
                "job-1", accessKeyId, NOW.minusSeconds(60), expires, "{\"Version\": \"2012-10-17\"}",
                List.of("arn:aws:iam::111122223333:policy/Extra"), Map.of("team", "payments", "env", "prod"),
                List.of("team"), "alice", NOW.minusSeconds(30), null, true);
    }

    private static SessionTokens tokens(List<SessionKey> keys, Clock clock) {
        return new SessionTokens(keys, clock, new SecureRandom());
    }

    @Test
    void aSealedSessionOpensToTheSameSession() throws StsException {
        SessionTokens tokens = tokens(List.of(NEW, OLD), CLOCK);
        Session session = session("ASIAEXAMPLE000000001", NOW.plusSeconds(3600));
        String token = tokens.seal(session);
        assertThat(tokens.open(token)).isEqualTo(session);
        assertThat(token).doesNotContain("payments").doesNotContain("alice");
    }

    @Test
    void theNewestKeySealsAndEveryKeyOpens() throws StsException {
        Session session = session("ASIAEXAMPLE000000002", NOW.plusSeconds(3600));
        String sealedByOld = tokens(List.of(OLD), CLOCK).seal(session);
        SessionTokens rotated = tokens(List.of(NEW, OLD), CLOCK);
        assertThat(rotated.open(sealedByOld)).isEqualTo(session);
        String sealedByNew = rotated.seal(session);
        assertThatThrownBy(() -> tokens(List.of(OLD), CLOCK).open(sealedByNew))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo("InvalidClientTokenId"));
    }

    @Test
    void aTamperedTokenIsInvalid() throws StsException {
        SessionTokens tokens = tokens(List.of(NEW), CLOCK);
        byte[] bytes = Base64.getDecoder().decode(tokens.seal(session("ASIAEXAMPLE000000003", NOW.plusSeconds(60))));
        for (int position : new int[] {1, 5, bytes.length / 2, bytes.length - 1}) {
            byte[] tampered = bytes.clone();
            tampered[position] ^= 0x01;
            assertThatThrownBy(() -> tokens.open(Base64.getEncoder().encodeToString(tampered)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.code()).isEqualTo("InvalidClientTokenId");
                        assertThat(e.getMessage()).isEqualTo("The security token included in the request is invalid.");
                    });
        }
        assertThatThrownBy(() -> tokens.open("not base64 at all!")).isInstanceOf(StsException.class);
        assertThatThrownBy(() -> tokens.open("")).isInstanceOf(StsException.class);
    }

    @Test
    void anExpiredTokenIsRefusedByTheClock() throws StsException {
        Session session = session("ASIAEXAMPLE000000004", NOW.plusSeconds(900));
        String token = tokens(List.of(NEW), CLOCK).seal(session);
        SessionTokens later = tokens(List.of(NEW), Clock.fixed(NOW.plusSeconds(900), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.open(token))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo("ExpiredToken"));
        assertThat(tokens(List.of(NEW), Clock.fixed(NOW.plusSeconds(899), ZoneOffset.UTC)).open(token))
                .isEqualTo(session);
    }

    @Test
    void secretsAreDerivedFromTheKeySoAnyInstanceAgrees() throws StsException {
        Session one = session("ASIAEXAMPLE000000005", NOW.plusSeconds(3600));
        Session two = session("ASIAEXAMPLE000000006", NOW.plusSeconds(3600));
        SessionTokens first = tokens(List.of(NEW), CLOCK);
        SessionTokens second = tokens(List.of(NEW), CLOCK);
        String token = first.seal(one);
        assertThat(second.secretFor(second.open(token), token)).isEqualTo(first.secretFor(one, token)).hasSize(40);
        assertThat(first.secretFor(two, first.seal(two))).isNotEqualTo(first.secretFor(one, token));
    }

    @Test
    void withoutKeysNothingIsSealed() {
        assertThatThrownBy(() -> tokens(List.of(), CLOCK).seal(session("ASIAEXAMPLE000000007", NOW)))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.getMessage()).contains("session key"));
    }

    @Test
    void newAccessKeyIdsLookLikeAwsOnes() {
        assertThat(tokens(List.of(NEW), CLOCK).newAccessKeyId()).matches("ASIA[A-Z2-7]{16}");
    }
}
