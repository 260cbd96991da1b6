package dev.gavel.directory;

import dev.gavel.policy.Finding;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a directory in code, for users who keep their policies somewhere else than a folder:
 * accounts with their managed policies, groups, users and roles, resource policies and access
 * keys. Policies are JSON text, validated as their type, and every problem is reported at once.
 *
 * <pre>{@code
 * Directory directory = Directory.builder()
 *         .account("111122223333", account -> account
 *                 .managedPolicy("ReadReports", readReportsJson)
 *                 .group("analysts", group -> group.attach("ReadReports"))
 *                 .user("alice", user -> user.group("analysts").tag("team", "payments"))
 *                 .role("AppRole", trustJson, role -> role.attach("ReadReports")))
 *         .resourcePolicy("arn:aws:s3:::reports", "111122223333", bucketPolicyJson)
 *         .build();
 * }</pre>
 */
public final class DirectoryBuilder {

    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, ResourcePolicy> resourcePolicies = new HashMap<>();
    private final Map<String, AccessKey> accessKeys = new HashMap<>();
    private final List<LoadProblem> problems = new ArrayList<>();
    private final List<SessionKey> sessionKeys = new ArrayList<>();
    private Organization organization;

    DirectoryBuilder() {}

    /**
     * The organization, with one level of units under its root: {@code scps} attached at the
     * root, and each unit's SCPs and member accounts. Every level needs an SCP that allows, as in
     * AWS (attach a full-access one).
     */
    public DirectoryBuilder organization(String id, String managementAccountId, Consumer<OrganizationBuilder> contents) {
        OrganizationBuilder builder = new OrganizationBuilder();
        contents.accept(builder);
        List<OrgAccount> rootAccounts = List.of(new OrgAccount(managementAccountId, managementAccountId,
                builder.rootScps, List.of()));
        organization = new Organization(id, managementAccountId, new OrgUnit("r-root", "Root", builder.rootScps,
                builder.rootRcps, builder.units, rootAccounts), builder.scps, builder.rcps);
        return this;
    }

    /** A key that seals session tokens, so that sessions issued by Gavel's STS resolve. */
    public DirectoryBuilder sessionKey(String id, byte[] secret) {
        sessionKeys.add(new SessionKey(id, secret.clone(), Instant.EPOCH.plusSeconds(sessionKeys.size())));
        return this;
    }

    /** An account and what it holds. */
    public DirectoryBuilder account(String id, Consumer<AccountBuilder> contents) {
        AccountBuilder builder = new AccountBuilder(id);
        contents.accept(builder);
        accounts.put(id, builder.build());
        return this;
    }

    /** A resource's policy (null for an entry that only names the owner). */
    public DirectoryBuilder resourcePolicy(String resourceArn, String accountId, String policyJson) {
        Policy policy = policyJson == null ? null
                : policy("resource policy of " + resourceArn, policyJson, PolicyType.RESOURCE, PolicyQuota.NONE);
        resourcePolicies.put(resourceArn, new ResourcePolicy(resourceArn, accountId, policy, false));
        return this;
    }

    /** An active long-term access key of a user. */
    public DirectoryBuilder accessKey(String accessKeyId, String secretAccessKey, String userArn) {
        accessKeys.put(accessKeyId, new AccessKey(accessKeyId, secretAccessKey, userArn, true, Instant.EPOCH));
        return this;
    }

    /** The directory, or every problem found, each naming the policy and where in it. */
    public Directory build() throws DirectoryException {
        for (Account account : accounts.values()) {
            references(account);
        }
        for (AccessKey key : accessKeys.values()) {
            if (Directory.user(accounts, key.userArn()) == null) {
                problems.add(new LoadProblem("access key " + key.accessKeyId(), 0, 0, "", "no user " + key.userArn()));
            }
        }
        if (!problems.isEmpty()) {
            throw new DirectoryException(problems);
        }
        return new Directory(accounts, accessKeys, Map.of(), Map.of(), Map.of(), resourcePolicies, organization,
                sessionKeys);
    }

    /** Every attached policy and group a principal names must be in its account. */
    private void references(Account account) {
        for (User user : account.users().values()) {
            for (String group : user.groupNames()) {
                if (account.group(group) == null) {
                    problems.add(new LoadProblem("user " + user.arn(), 0, 0, "", "no group " + group));
                }
            }
            attached("user " + user.arn(), user.attachedPolicyArns(), user.permissionsBoundaryArn(), account);
        }
        for (Group group : account.groups().values()) {
            attached("group " + group.arn(), group.attachedPolicyArns(), null, account);
        }
        for (Role role : account.roles().values()) {
            attached("role " + role.arn(), role.attachedPolicyArns(), role.permissionsBoundaryArn(), account);
        }
    }

    private void attached(String owner, List<String> arns, String boundary, Account account) {
        List<String> all = new ArrayList<>(arns);
        if (boundary != null) {
            all.add(boundary);
        }
        for (String arn : all) {
            if (account.policy(arn) == null) {
                problems.add(new LoadProblem(owner, 0, 0, "", "no managed policy " + arn + " in account " + account.id()));
            }
        }
    }

    private Policy policy(String source, String json, PolicyType type, PolicyQuota quota) {
        ParseResult parsed = PolicyParser.parse(source, json);
        List<Finding> findings = new ArrayList<>(parsed.findings());
        if (parsed.policy() != null) {
            findings.addAll(new PolicyValidator(new PolicyValidator.Options(type, quota, true, null))
                    .validate(parsed.policy()));
        }
        boolean failed = parsed.policy() == null;
        for (Finding finding : findings) {
            if (finding.severity() == Severity.ERROR) {
                failed = true;
                problems.add(new LoadProblem(source, finding.location().line(), finding.location().column(),
                        finding.location().path(), finding.code() + " " + finding.message()));
            }
        }
        return failed ? null : parsed.policy();
    }

    /** An organization's policies and units, by name. */
    public final class OrganizationBuilder {
        private final Map<String, Policy> scps = new HashMap<>();
        private final Map<String, Policy> rcps = new HashMap<>();
        private final List<String> rootScps = new ArrayList<>();
        private final List<String> rootRcps = new ArrayList<>();
        private final List<OrgUnit> units = new ArrayList<>();

        private OrganizationBuilder() {}

        /** A service control policy, attached at the root when {@code atRoot}. */
        public OrganizationBuilder scp(String name, String json, boolean atRoot) {
            Policy policy = policy("SCP " + name, json, PolicyType.SCP, PolicyQuota.ORGANIZATIONS);
            if (policy != null) {
                scps.put(name, policy);
            }
            if (atRoot) {
                rootScps.add(name);
            }
            return this;
        }

        /** A resource control policy (its denies), attached at the root when {@code atRoot}. */
        public OrganizationBuilder rcp(String name, String json, boolean atRoot) {
            Policy policy = policy("RCP " + name, json, PolicyType.RCP, PolicyQuota.ORGANIZATIONS);
            if (policy != null) {
                rcps.put(name, policy);
            }
            if (atRoot) {
                rootRcps.add(name);
            }
            return this;
        }

        /** A unit under the root with its SCPs, and its member accounts, each with the same SCPs. */
        public OrganizationBuilder unit(String name, List<String> scpNames, List<String> accountIds) {
            List<OrgAccount> members = accountIds.stream().map(id -> new OrgAccount(id, id, scpNames, List.of()))
                    .toList();
            units.add(new OrgUnit("ou-" + name.toLowerCase(Locale.ROOT), name, scpNames, List.of(), List.of(),
                    members));
            return this;
        }
    }

    /** What one account holds. Names are IAM names; policies are attached by name or by ARN. */
    public final class AccountBuilder {
        private final String id;
        private final Map<String, ManagedPolicy> policies = new HashMap<>();
        private final Map<String, Group> groups = new HashMap<>();
        private final Map<String, User> users = new HashMap<>();
        private final Map<String, Role> roles = new HashMap<>();

        private AccountBuilder(String id) {
            this.id = id;
        }

        /** A customer managed policy, {@code arn:aws:iam::ACCOUNT:policy/NAME}. */
        public AccountBuilder managedPolicy(String name, String json) {
            return managedPolicy("arn:aws:iam::" + id + ":policy/" + name, name, json);
        }

        /** An AWS managed policy as this account sees it, {@code arn:aws:iam::aws:policy/NAME}. */
        public AccountBuilder awsManagedPolicy(String name, String json) {
            return managedPolicy("arn:aws:iam::aws:policy/" + name, name, json);
        }

        private AccountBuilder managedPolicy(String arn, String name, String json) {
            Policy policy = policy(arn, json, PolicyType.IDENTITY,
                    arn.contains(":iam::aws:") ? PolicyQuota.NONE : PolicyQuota.MANAGED);
            if (policy != null) {
                policies.put(arn, new ManagedPolicy(arn, name, "/", null, policy));
            }
            return this;
        }

        public AccountBuilder group(String name, Consumer<PrincipalBuilder> contents) {
            PrincipalBuilder builder = new PrincipalBuilder(this, "group " + name, PolicyQuota.GROUP_INLINE);
            contents.accept(builder);
            groups.put(Account.key(name), new Group(id, name, "/", null, "arn:aws:iam::" + id + ":group/" + name,
                    builder.inline, builder.attached));
            return this;
        }

        public AccountBuilder user(String name, Consumer<PrincipalBuilder> contents) {
            PrincipalBuilder builder = new PrincipalBuilder(this, "user " + name, PolicyQuota.USER_INLINE);
            contents.accept(builder);
            users.put(Account.key(name), new User(id, name, "/", null, "arn:aws:iam::" + id + ":user/" + name,
                    builder.groups, builder.inline, builder.attached, builder.boundary, builder.tags));
            return this;
        }

        /** A role: who may assume it (its trust policy), and what its sessions may do. */
        public AccountBuilder role(String name, String trustJson, Consumer<PrincipalBuilder> contents) {
            PrincipalBuilder builder = new PrincipalBuilder(this, "role " + name, PolicyQuota.ROLE_INLINE);
            contents.accept(builder);
            Policy trust = policy("trust policy of role " + name, trustJson, PolicyType.TRUST, PolicyQuota.TRUST);
            if (trust != null) {
                roles.put(Account.key(name), new Role(id, name, "/", null, "arn:aws:iam::" + id + ":role/" + name,
                        trust, builder.inline, builder.attached, builder.boundary,
                        Role.DEFAULT_MAX_SESSION_DURATION, builder.tags));
            }
            return this;
        }

        String arnOf(String policy) {
            return policy.startsWith("arn:") ? policy : "arn:aws:iam::" + id + ":policy/" + policy;
        }

        private Account build() {
            return new Account(id, users, groups, roles, policies);
        }
    }

    /** What a user, group or role holds: policies, groups, a boundary, tags. */
    public final class PrincipalBuilder {
        private final AccountBuilder account;
        private final String owner;
        private final PolicyQuota inlineQuota;
        private final List<InlinePolicy> inline = new ArrayList<>();
        private final List<String> attached = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();
        private final List<Tag> tags = new ArrayList<>();
        private String boundary;

        private PrincipalBuilder(AccountBuilder account, String owner, PolicyQuota inlineQuota) {
            this.account = account;
            this.owner = owner;
            this.inlineQuota = inlineQuota;
        }

        /** Attaches a managed policy of the account, by name or ARN. */
        public PrincipalBuilder attach(String policy) {
            attached.add(account.arnOf(policy));
            return this;
        }

        /** An inline policy. */
        public PrincipalBuilder inline(String name, String json) {
            Policy policy = DirectoryBuilder.this.policy(owner + " inline policy " + name, json, PolicyType.IDENTITY,
                    inlineQuota);
            if (policy != null) {
                inline.add(new InlinePolicy(name, policy));
            }
            return this;
        }

        /** Puts a user in a group (for users only). */
        public PrincipalBuilder group(String name) {
            groups.add(name);
            return this;
        }

        /** The permissions boundary, a managed policy of the account by name or ARN. */
        public PrincipalBuilder boundary(String policy) {
            boundary = account.arnOf(policy);
            return this;
        }

        public PrincipalBuilder tag(String key, String value) {
            tags.add(new Tag(key, value));
            return this;
        }
    }
}
