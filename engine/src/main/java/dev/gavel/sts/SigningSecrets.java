package dev.gavel.sts;

/** Where the SigV4 verifier gets the secret a request was signed with. */
public interface SigningSecrets {

    /**
     * The secret access key for a key id; {@code sessionToken} is null for long-term keys.
     *
     * @throws StsException {@code InvalidClientTokenId}, {@code ExpiredToken}... for credentials
     *     that are unknown, inactive, tampered with or expired
     */
    String secretFor(String accessKeyId, String sessionToken) throws StsException;
}
