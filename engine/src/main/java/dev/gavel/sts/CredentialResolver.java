package dev.gavel.sts;

import dev.gavel.directory.AccessKey;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.Role;
import dev.gavel.directory.Session;
import dev.gavel.directory.User;

/**
 * Turns credentials into an identity: a long-term access key ({@code AKIA...}) into its user, a
 * session's key ({@code ASIA...}) and token into the session. Also the source of secrets that
 * the SigV4 verifier checks signatures with. Secrets never appear in messages.
 */
public final class CredentialResolver implements SigningSecrets {

    private static final String INVALID = "The security token included in the request is invalid.";

    /** An identity and the secret its requests are signed with. */
    public record Resolved(Identity identity, String secretAccessKey) {

        @Override
        public String toString() {
            return "Resolved[" + identity.principalArn() + "]";
        }
    }

    private final Directory directory;
    private final SessionTokens tokens;

    public CredentialResolver(Directory directory, SessionTokens tokens) {
        this.directory = directory;
        this.tokens = tokens;
    }

    public Resolved resolve(String accessKeyId, String sessionToken) throws StsException {
        if (accessKeyId == null || accessKeyId.isEmpty()) {
            throw new StsException("MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        if (accessKeyId.startsWith("ASIA")) {
            return session(accessKeyId, sessionToken);
        }
        if (sessionToken != null && !sessionToken.isEmpty()) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        AccessKey key = directory.accessKey(accessKeyId);
        if (key == null) {
            throw new StsException("InvalidClientTokenId",
                    "The AWS access key ID you provided does not exist in our records.");
        }
        if (!key.active()) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        User user = directory.user(key.userArn());
        if (user == null) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        return new Resolved(new Identity.UserIdentity(user, null), key.secretAccessKey());
    }

    private Resolved session(String accessKeyId, String sessionToken) throws StsException {
        if (sessionToken == null || sessionToken.isEmpty()) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        Session session = tokens.open(sessionToken);
        if (!accessKeyId.equals(session.accessKeyId())) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        String secret = tokens.secretFor(session, sessionToken);
        if (session.kind() == Session.Kind.USER) {
            User user = directory.user(session.userArn());
            if (user == null) {
                throw new StsException("InvalidClientTokenId", INVALID);
            }
            return new Resolved(new Identity.UserIdentity(user, session), secret);
        }
        Role role = directory.role(session.roleArn());
        if (role == null) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        return new Resolved(new Identity.RoleSessionIdentity(role, session), secret);
    }

    @Override
    public String secretFor(String accessKeyId, String sessionToken) throws StsException {
        return resolve(accessKeyId, sessionToken).secretAccessKey();
    }
}
