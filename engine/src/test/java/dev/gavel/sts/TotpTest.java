package dev.gavel.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238 appendix B's SHA-1 seed; its 8-digit codes end in the 6 digits checked here. */
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void matchesTheRfcTestVectors() {
        assertThat(Totp.code(SEED, 59 / 30)).isEqualTo("287082");
        assertThat(Totp.code(SEED, 1111111109L / 30)).isEqualTo("081804");
        assertThat(Totp.code(SEED, 1234567890L / 30)).isEqualTo("005924");
        assertThat(Totp.code(SEED, 2000000000L / 30)).isEqualTo("279037");
    }

    @Test
    void acceptsTheNeighbouringStepsOnly() {
        Instant now = Instant.ofEpochSecond(1111111109L);
        long step = now.getEpochSecond() / 30;
        assertThat(Totp.verify(SEED, Totp.code(SEED, step), now)).isTrue();
        assertThat(Totp.verify(SEED, Totp.code(SEED, step - 1), now)).isTrue();
        assertThat(Totp.verify(SEED, Totp.code(SEED, step + 1), now)).isTrue();
        assertThat(Totp.verify(SEED, Totp.code(SEED, step + 2), now)).isFalse();
        assertThat(Totp.verify(SEED, "12345", now)).isFalse();
        assertThat(Totp.verify(SEED, "abcdef", now)).isFalse();
        assertThat(Totp.verify(SEED, null, now)).isFalse();
    }
}
