package dev.gavel.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Who makes a request, as the evaluation logic tells callers apart, read from the principal
 * string of a request.
 *
 * <p>A role session's ARN ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}) does not
 * carry the role's path, so the role's own ARN is taken from {@code aws:PrincipalArn} when the
 * request carries it, and built without a path otherwise. Policies that name a role match its
 * sessions by account and role name, which is unique within an account whatever the path.
 */
public record Caller(Kind kind, String arn, String partition, String account, String roleName, String roleArn) {

    /** The kinds of caller the evaluation logic tells apart. */
    public enum Kind { USER, ROLE, ROLE_SESSION, FEDERATED_USER, ROOT, SERVICE, WEB_IDENTITY, ANONYMOUS }

    /**
     * The caller behind a request's principal: {@code anonymous} or {@code *}, a service or
     * identity provider name, or an ARN. {@code aws:PrincipalArn} in the context gives a role
     * session's role its path.
     */
    public static Caller parse(String principal, RequestContext context) {
        return parse(principal, context.single("aws:PrincipalArn"));
    }

    /** As {@link #parse(String, RequestContext)}, given the request's {@code aws:PrincipalArn} or null. */
    public static Caller parse(String principal, String principalArn) {
        if (principal.equals("*") || principal.equalsIgnoreCase("anonymous")) {
            return new Caller(Kind.ANONYMOUS, principal, null, null, null, null);
        }
        if (!principal.startsWith("arn:")) {
            boolean service = principal.endsWith(".amazonaws.com") && !principal.startsWith("cognito-identity.")
                    || principal.endsWith(".amazonaws.com.cn");
            return new Caller(service ? Kind.SERVICE : Kind.WEB_IDENTITY, principal, null, null, null, null);
        }
        String[] parts = principal.split(":", 6);
        if (parts.length < 6) {
            return new Caller(Kind.WEB_IDENTITY, principal, null, null, null, null);
        }
        String partition = parts[1];
        String service = parts[2];
        String account = parts[4];
        String resource = parts[5];
        if (service.equals("iam")) {
            if (resource.equals("root")) {
                return new Caller(Kind.ROOT, principal, partition, account, null, null);
            }
            if (resource.startsWith("user/")) {
                return new Caller(Kind.USER, principal, partition, account, null, null);
            }
            if (resource.startsWith("role/")) {
                String name = resource.substring(resource.lastIndexOf('/') + 1);
                return new Caller(Kind.ROLE, principal, partition, account, name, principal);
            }
        } else if (service.equals("sts")) {
            if (resource.startsWith("assumed-role/")) {
                String[] names = resource.split("/");
                String roleName = names.length >= 3 ? names[1] : null;
                return new Caller(Kind.ROLE_SESSION, principal, partition, account, roleName,
                        roleArn(partition, account, roleName, principalArn));
            }
            if (resource.startsWith("federated-user/")) {
                return new Caller(Kind.FEDERATED_USER, principal, partition, account, null, null);
            }
        }
        return new Caller(Kind.WEB_IDENTITY, principal, partition, account, null, null);
    }

    /** The role's ARN: {@code principalArn} when it names this role (with its path), else one without a path. */
    private static String roleArn(String partition, String account, String roleName, String principalArn) {
        String prefix = "arn:" + partition + ":iam::" + account + ":role/";
        if (principalArn != null && principalArn.startsWith(prefix) && principalArn.endsWith("/" + roleName)) {
            return principalArn;
        }
        return roleName == null ? null : prefix + roleName;
    }

    /**
     * Whether service control policies bind this caller: IAM users, role sessions, federated
     * users and root users of an account, but not service-linked roles. Anonymous callers, AWS
     * services and identity providers' callers before they hold a session are no IAM principal of
     * any account. Whether the account is a member account (the management account is not) is
     * the business of whoever supplies the SCPs.
     */
    public boolean boundBySCPs() {
        return switch (kind) {
            case USER, ROLE, ROLE_SESSION, FEDERATED_USER, ROOT -> !serviceLinked();
            case SERVICE, WEB_IDENTITY, ANONYMOUS -> false;
        };
    }

    /** Whether the caller is (a session of) a service-linked role, whose path is {@code /aws-service-role/}. */
    public boolean serviceLinked() {
        return roleArn != null && roleArn.contains(":role/aws-service-role/");
    }

    /** The kind of caller in words, for explanations. */
    public String describe() {
        return switch (kind) {
            case USER -> "an IAM user";
            case ROLE, ROLE_SESSION -> serviceLinked() ? "a service-linked role" : "a role session";
            case FEDERATED_USER -> "a federated user";
            case ROOT -> "a root user";
            case SERVICE -> "an AWS service principal";
            case WEB_IDENTITY -> "an identity provider's caller before it holds a session";
            case ANONYMOUS -> "an anonymous caller";
        };
    }

    /** The account root's ARN, or null for callers outside any account. */
    public String accountRootArn() {
        return account == null ? null : "arn:" + partition + ":iam::" + account + ":root";
    }

    /**
     * The identities a {@code NotPrincipal} must list, all of them, to leave this caller out: the
     * account, then the role or user, then the session. A NotPrincipal that lists a session but
     * not its role and account still applies to the caller, as the IAM documentation warns.
     */
    public List<String> identities() {
        List<String> identities = new ArrayList<>(3);
        if (account != null) {
            identities.add(accountRootArn());
        }
        if (kind == Kind.ROLE_SESSION && roleArn != null) {
            identities.add(roleArn);
        }
        if (kind != Kind.ROOT && kind != Kind.ANONYMOUS) {
            identities.add(arn);
        }
        return identities;
    }
}
