package dev.gavel.directory;

/**
 * A virtual MFA device of a user: its serial number (an ARN) and the TOTP seed it shares with
 * the authenticator app. {@link #toString()} never shows the seed.
 */
public record MfaDevice(String serialNumber, String userArn, byte[] seed) {

    @Override
    public String toString() {
        return "MfaDevice[" + serialNumber + ", " + userArn + "]";
    }
}
