package dev.gavel.sts;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the six-digit codes of virtual MFA devices: RFC 6238 TOTP with HMAC-SHA1 and 30-second
 * steps, as IAM's virtual MFA uses, accepting the step before and after for clock drift.
 */
final class Totp {

    private static final int STEP_SECONDS = 30;

    private Totp() {}

    static boolean verify(byte[] seed, String code, Instant now) {
        if (code == null || code.length() != 6 || !code.chars().allMatch(Character::isDigit)) {
            return false;
        }
        long step = now.getEpochSecond() / STEP_SECONDS;
        boolean match = false;
        for (long candidate = step - 1; candidate <= step + 1; candidate++) {
            match |= MessageDigest.isEqual(code(seed, candidate).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    code.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return match;
    }

    /** The code for one time step. */
    static String code(byte[] seed, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(seed, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }
}
