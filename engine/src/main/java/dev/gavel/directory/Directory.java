package dev.gavel.directory;

import dev.gavel.match.Arn;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Everything Gavel knows about the principals and resources it decides for: accounts with their
 * users, groups, roles and managed policies; access keys and MFA devices; identity providers;
 * resource policies; the organization; and the keys that seal session tokens.
 *
 * <p>A directory is immutable: loading a new one builds it beside the old, which keeps serving
 * until the new one is complete and valid ({@link DirectoryLoader}).
 */
public final class Directory {

    private final Map<String, Account> accounts;
    private final Map<String, AccessKey> accessKeys;
    private final Map<String, MfaDevice> mfaDevices;
    private final Map<String, OidcProvider> oidcProviders;
    private final Map<String, SamlProvider> samlProviders;
    private final Map<String, ResourcePolicy> resourcePolicies;
    private final Organization organization;
    private final List<SessionKey> sessionKeys;

    Directory(Map<String, Account> accounts, Map<String, AccessKey> accessKeys, Map<String, MfaDevice> mfaDevices,
            Map<String, OidcProvider> oidcProviders, Map<String, SamlProvider> samlProviders,
            Map<String, ResourcePolicy> resourcePolicies, Organization organization, List<SessionKey> sessionKeys) {
        this.accounts = Map.copyOf(accounts);
        this.accessKeys = Map.copyOf(accessKeys);
        this.mfaDevices = Map.copyOf(mfaDevices);
        this.oidcProviders = Map.copyOf(oidcProviders);
        this.samlProviders = Map.copyOf(samlProviders);
        this.resourcePolicies = Map.copyOf(resourcePolicies);
        this.organization = organization;
        this.sessionKeys = sessionKeys.stream().sorted(Comparator.comparing(SessionKey::created).reversed()).toList();
    }

    /** A builder for a directory made in code rather than loaded from a folder. */
    public static DirectoryBuilder builder() {
        return new DirectoryBuilder();
    }

    public Account account(String id) {
        return accounts.get(id);
    }

    public Collection<Account> accounts() {
        return accounts.values();
    }

    /** The user with exactly this ARN (path included), or null. */
    public User user(String arn) {
        return user(accounts, arn);
    }

    /** The user with exactly this ARN among these accounts; shared with the loader, which has no directory yet. */
    static User user(Map<String, Account> accounts, String arn) {
        Arn parsed = Arn.parse(arn);
        Account account = parsed == null ? null : accounts.get(parsed.account());
        if (account == null || !parsed.service().equals("iam") || !parsed.resource().startsWith("user/")) {
            return null;
        }
        User user = account.user(lastSegment(parsed.resource()));
        return user != null && user.arn().equals(arn) ? user : null;
    }

    /** The role with exactly this ARN (path included), or null. */
    public Role role(String arn) {
        Arn parsed = Arn.parse(arn);
        Account account = parsed == null ? null : accounts.get(parsed.account());
        if (account == null || !parsed.service().equals("iam") || !parsed.resource().startsWith("role/")) {
            return null;
        }
        Role role = account.role(lastSegment(parsed.resource()));
        return role != null && role.arn().equals(arn) ? role : null;
    }

    /** The managed policy as the given account sees it (AWS managed ones from that account's dump), or null. */
    public ManagedPolicy managedPolicy(String accountId, String arn) {
        Account account = accounts.get(accountId);
        return account == null ? null : account.policy(arn);
    }

    public AccessKey accessKey(String accessKeyId) {
        return accessKeys.get(accessKeyId);
    }

    public MfaDevice mfaDevice(String serialNumber) {
        return mfaDevices.get(serialNumber);
    }

    /** The OIDC providers defined in an account. */
    public List<OidcProvider> oidcProviders(String accountId) {
        return oidcProviders.values().stream().filter(p -> p.accountId().equals(accountId)).toList();
    }

    public OidcProvider oidcProvider(String arn) {
        return oidcProviders.get(arn);
    }

    public SamlProvider samlProvider(String arn) {
        return samlProviders.get(arn);
    }

    /**
     * The policy attached to a resource: the resource's own, or for an S3 object its bucket's.
     * Null when the resource has none.
     */
    public ResourcePolicy resourcePolicy(String resourceArn) {
        ResourcePolicy exact = resourcePolicies.get(resourceArn);
        if (exact != null || !resourceArn.startsWith("arn:")) {
            return exact;
        }
        Arn arn = Arn.parse(resourceArn);
        if (arn != null && arn.service().equals("s3") && arn.resource().indexOf('/') > 0) {
            String bucket = resourceArn.substring(0, resourceArn.indexOf('/', resourceArn.indexOf(":::")));
            return resourcePolicies.get(bucket);
        }
        return null;
    }

    /** Every resource entry: policies attached to resources, and entries that only name an owner. */
    public Collection<ResourcePolicy> resourcePolicies() {
        return resourcePolicies.values();
    }

    /** The account that owns a resource: from its ARN, else from its resource policy entry, else null. */
    public String resourceAccount(String resourceArn) {
        Arn arn = Arn.parse(resourceArn);
        if (arn != null && !arn.account().isEmpty()) {
            return arn.account();
        }
        ResourcePolicy policy = resourcePolicy(resourceArn);
        return policy == null ? null : policy.accountId();
    }

    /** The organization, or null when the directory has none. */
    public Organization organization() {
        return organization;
    }

    /** The session-token keys, newest first: the first issues, all verify. */
    public List<SessionKey> sessionKeys() {
        return sessionKeys;
    }

    static String lastSegment(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }
}
