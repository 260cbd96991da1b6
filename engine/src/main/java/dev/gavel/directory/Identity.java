package dev.gavel.directory;

/**
 * Who makes a request: a user (with its long-term keys, or with a session from
 * {@code GetSessionToken}), or a session of a role. A role alone is never an identity.
 */
public sealed interface Identity permits Identity.UserIdentity, Identity.RoleSessionIdentity {

    /** The ARN the request carries as its principal. */
    String principalArn();

    /** The account the identity belongs to. */
    String accountId();

    /** A user, signing with its long-term access key ({@code session} null) or a user session. */
    record UserIdentity(User user, Session session) implements Identity {

        @Override
        public String principalArn() {
            return user.arn();
        }

        @Override
        public String accountId() {
            return user.accountId();
        }
    }

    /** A session of a role. */
    record RoleSessionIdentity(Role role, Session session) implements Identity {

        @Override
        public String principalArn() {
            return session.principalArn();
        }

        @Override
        public String accountId() {
            return role.accountId();
        }
    }
}
