package dev.gavel.compile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.OrgAccount;
import dev.gavel.directory.OrgUnit;
import dev.gavel.directory.Organization;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.ResourcePolicy;
import dev.gavel.directory.Role;
import dev.gavel.directory.Session;
import dev.gavel.eval.Caller;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.RequestContext;
import dev.gavel.match.ArnParts;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One version of a directory, compiled for deciding: what every check reads, immutable once
 * built, so that readers need no lock. Principals' tables compile on first use and are kept in a
 * cache bounded by the number of statements they hold; resources, organization levels and
 * accounts compile up front. A reload builds a new snapshot beside this one.
 *
 * <p>Internal to Gavel: users reach it through {@code Engine}.
 */
public final class Snapshot {

    /** The most statements that principals' compiled tables may hold before older ones are dropped. */
    static final long MAX_CACHED_STATEMENTS = 4_000_000;

    private final long version;
    private final Directory directory;
    private final Symbols symbols;
    private final Authorizer authorizer;
    private final Evaluator evaluator = new Evaluator();
    private final TimeFacts time;
    /** Compiled documents by the identity of the parsed policy: shared by every principal that has it. */
    private final Map<IdentityKey, CompiledPolicy> compiled = new ConcurrentHashMap<>();
    private final Map<GroupKey, PolicyGroup> groups = new ConcurrentHashMap<>();
    private final Cache<String, Subject> principals;
    private final RegionMap<CompiledResource> resources;
    private final boolean noResourcePolicies;
    private final Map<String, CompiledResource> trusts = new ConcurrentHashMap<>();
    /** Every role by its exact ARN, so that a request naming an unknown role costs a lookup and no parsing. */
    private final Map<String, Role> roles = new HashMap<>();
    /** What a request reads of the account that owns its resource. */
    record AccountFacts(String id, PolicyGroup[] rcps, String orgPath) {}

    private final RegionMap<AccountFacts> accounts;
    private final RegionMap<String> resourceOwners;
    private final Map<String, PolicyGroup[]> scpLevels = new HashMap<>();
    private final String organizationId;
    private final int currentTimeSlot;
    private final int epochTimeSlot;
    private final int resourceAccountSlot;
    private final int resourceOrgIdSlot;
    private final int resourceOrgPathsSlot;
    private final int mfaAgeSlot;

    public Snapshot(Directory directory, Symbols symbols, long version, Clock clock) {
        this.version = version;
        this.directory = directory;
        this.symbols = symbols;
        this.authorizer = new Authorizer(directory, clock);
        this.time = new TimeFacts(clock);
        this.principals = Caffeine.newBuilder()
                .maximumWeight(MAX_CACHED_STATEMENTS)
                .weigher((String arn, Subject subject) -> statements(subject))
                .build();
        this.currentTimeSlot = symbols.key("aws:CurrentTime");
        this.epochTimeSlot = symbols.key("aws:EpochTime");
        this.resourceAccountSlot = symbols.key("aws:ResourceAccount");
        this.resourceOrgIdSlot = symbols.key("aws:ResourceOrgID");
        this.resourceOrgPathsSlot = symbols.key("aws:ResourceOrgPaths");
        this.mfaAgeSlot = symbols.key("aws:MultiFactorAuthAge");

        Map<String, String> accountIds = new HashMap<>();
        directory.accounts().forEach(account -> accountIds.put(account.id(), account.id()));
        accountIds.put("aws", "aws");
        Map<String, CompiledResource> byArn = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
        for (ResourcePolicy entry : directory.resourcePolicies()) {
            Policy policy = entry.policy();
            byArn.put(entry.resourceArn(), CompiledResource.of(policy,
                    policy == null ? null : new CompiledPolicy(policy, symbols), entry.restrictPublicBuckets()));
            owners.put(entry.resourceArn(), entry.accountId());
            accountIds.put(entry.accountId(), entry.accountId());
        }
        directory.accounts().forEach(account -> account.allRoles().forEach(role -> roles.put(role.arn(), role)));
        this.resources = new RegionMap<>(byArn);
        this.noResourcePolicies = byArn.isEmpty();
        this.resourceOwners = new RegionMap<>(owners);

        Organization organization = directory.organization();
        this.organizationId = organization == null ? null : organization.id();
        Map<String, AccountFacts> facts = new HashMap<>();
        accountIds.keySet().forEach(id -> facts.put(id, new AccountFacts(id, PolicyGroup.NONE, null)));
        if (organization != null) {
            for (String accountId : memberAccounts(organization.root(), new ArrayList<>())) {
                // An RCP level without policies denies nothing; only levels with policies are kept.
                PolicyGroup[] rcps = Arrays.stream(levels(organization.rcpLevels(accountId), PolicyType.RCP))
                        .filter(level -> !level.isEmpty()).toArray(PolicyGroup[]::new);
                facts.put(accountId, new AccountFacts(accountId, rcps, organization.orgPath(accountId)));
                scpLevels.put(accountId, levels(organization.scpLevels(accountId), PolicyType.SCP));
            }
        }
        this.accounts = new RegionMap<>(facts);
    }

    public long version() {
        return version;
    }

    public Directory directory() {
        return directory;
    }

    public Symbols symbols() {
        return symbols;
    }

    /** The identity behind a principal ARN in this directory (a user, or a role session without session policy). */
    public Identity identity(String principalArn) throws RequestException {
        return authorizer.identity(principalArn);
    }

    /** The compiled principal side of an identity: cached for users and roles, fresh for each session. */
    public Prepared prepare(Identity identity) throws RequestException {
        String key = identity instanceof Identity.UserIdentity user && user.session() == null ? user.user().arn()
                : null;
        Subject subject = key == null ? null : principals.getIfPresent(key);
        if (subject == null) {
            subject = subject(identity);
            if (key != null) {
                principals.put(key, subject);
            }
        }
        Instant mfa = Authorizer.mfaAuthenticatedAt(identity);
        // Only sessions issued with credentials expire; one named by its ARN stands for the role's sessions.
        Session session = identity instanceof Identity.RoleSessionIdentity roleSession ? roleSession.session()
                : ((Identity.UserIdentity) identity).session();
        Instant expires = session == null || session.accessKeyId() == null ? null : session.expiresAt();
        return new Prepared(this, identity, subject, mfa, expires, accountFacts(identity.accountId()));
    }

    private Subject subject(Identity identity) throws RequestException {
        Caller parsed = Caller.parse(identity.principalArn(), identity instanceof Identity.UserIdentity user
                ? user.user().arn() : ((Identity.RoleSessionIdentity) identity).role().arn());
        AccountFacts account = parsed.account() == null ? null : accounts.get(parsed.account());
        CallerView caller = new CallerView(parsed, account == null ? parsed.account() : account.id());
        PolicyGroup identityGroup = group(compile(authorizer.identityPolicies(identity)),
                PolicyType.IDENTITY);
        Policy boundary = authorizer.permissionsBoundary(identity);
        List<Policy> sessions = authorizer.sessionPolicies(identity);
        PolicyGroup[] scps = scpLevels.getOrDefault(identity.accountId(), PolicyGroup.NONE);
        return new Subject(caller, scps, identityGroup,
                boundary == null ? null : group(compile(List.of(boundary)), PolicyType.BOUNDARY),
                sessions.isEmpty() ? null : group(compile(sessions), PolicyType.SESSION),
                facts(authorizer.principalFacts(identity)));
    }

    private SlotValues facts(RequestContext context) {
        SlotValues values = new SlotValues(symbols.keyCount() + 8);
        for (RequestContext.Entry entry : context.entries()) {
            int slot = symbols.key(entry.key());
            if (entry.multivalued()) {
                values.putAll(slot, entry.values());
            } else {
                values.put(slot, entry.values().get(0));
            }
        }
        return values;
    }

    /** A map key that is the object itself: equal only to itself. */
    private record IdentityKey(Object object) {
        @Override
        public boolean equals(Object other) {
            return other instanceof IdentityKey key && key.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    /** Compiles documents, each once, however many principals share it. */
    private List<CompiledPolicy> compile(List<Policy> policies) {
        List<CompiledPolicy> result = new ArrayList<>(policies.size());
        for (Policy policy : policies) {
            result.add(compiled.computeIfAbsent(new IdentityKey(policy), k -> new CompiledPolicy(policy, symbols)));
        }
        return result;
    }

    /** Policies in one role; equal when the same compiled policies play the same role. */
    private record GroupKey(List<CompiledPolicy> policies, PolicyType type) {}

    /** A group for the list, shared with every principal that has the same compiled policies. */
    private PolicyGroup group(List<CompiledPolicy> policies, PolicyType type) {
        return groups.computeIfAbsent(new GroupKey(List.copyOf(policies), type),
                key -> new PolicyGroup(key.policies().toArray(new CompiledPolicy[0]), type, -1));
    }

    private PolicyGroup[] levels(List<List<Policy>> levels, PolicyType type) {
        PolicyGroup[] result = new PolicyGroup[levels.size()];
        for (int level = 0; level < result.length; level++) {
            CompiledPolicy[] policies = levels.get(level).stream().map(p -> new CompiledPolicy(p, symbols))
                    .toArray(CompiledPolicy[]::new);
            result[level] = new PolicyGroup(policies, type, level);
        }
        return result;
    }

    private static List<String> memberAccounts(OrgUnit unit, List<String> out) {
        for (OrgAccount account : unit.accounts()) {
            out.add(account.id());
        }
        for (OrgUnit child : unit.units()) {
            memberAccounts(child, out);
        }
        return out;
    }

    private static int statements(Subject subject) {
        int count = 1;
        for (PolicyGroup group : new PolicyGroup[] {subject.identity, subject.boundary, subject.sessions}) {
            if (group != null) {
                for (CompiledPolicy policy : group.policies) {
                    count += policy.statements.length;
                }
            }
        }
        return count;
    }

    // ---- deciding

    /** What a request on a resource reads besides the principal: the resource's policy, account and RCPs. */
    private CompiledResource target(boolean trustAction, ArnParts arn) {
        String text = arn.text();
        if (trustAction) {
            CompiledResource trust = trusts.get(text);
            if (trust == null) {
                Role role = roles.get(text);
                if (role == null) {
                    return CompiledResource.NONE;
                }
                trust = CompiledResource.of(role.trustPolicy(), new CompiledPolicy(role.trustPolicy(), symbols), false);
                trusts.put(text, trust);
            }
            return trust;
        }
        if (noResourcePolicies) {
            return CompiledResource.NONE;
        }
        CompiledResource exact = resources.get(text);
        if (exact != null) {
            return exact;
        }
        int bucketEnd = bucketEnd(arn);
        CompiledResource bucket = bucketEnd < 0 ? null : resources.get(text, 0, bucketEnd);
        return bucket == null ? CompiledResource.NONE : bucket;
    }

    /** For an S3 object ARN, where its bucket's ARN ends; -1 otherwise. */
    private static int bucketEnd(ArnParts arn) {
        if (!arn.valid() || !arn.partEquals(2, "s3")) {
            return -1;
        }
        String text = arn.text();
        int slash = text.indexOf('/', arn.start(5));
        return slash > arn.start(5) ? slash : -1;
    }

    /**
     * The account that owns the resource, as {@link Directory#resourceAccount} reads it, else the
     * principal's; a canonical string, so that no request allocates one for a known account.
     */
    private AccountFacts resourceAccount(ArnParts arn, AccountFacts principalAccount) {
        String text = arn.text();
        if (arn.valid() && arn.end(4) > arn.start(4)) {
            AccountFacts known = accounts.get(text, arn.start(4), arn.end(4));
            return known != null ? known
                    : new AccountFacts(text.substring(arn.start(4), arn.end(4)), PolicyGroup.NONE, null);
        }
        String owner = noResourcePolicies ? null : resourceOwners.get(text);
        if (owner == null && !noResourcePolicies) {
            int bucketEnd = bucketEnd(arn);
            owner = bucketEnd < 0 ? null : resourceOwners.get(text, 0, bucketEnd);
        }
        if (owner == null) {
            return principalAccount;
        }
        AccountFacts known = accounts.get(owner);
        return known != null ? known : new AccountFacts(owner, PolicyGroup.NONE, null);
    }

    /** The facts of an account of the directory, or facts for an account it does not hold. */
    AccountFacts accountFacts(String account) {
        AccountFacts known = accounts.get(account);
        return known != null ? known : new AccountFacts(account, PolicyGroup.NONE, null);
    }

    /** Fills the request's own facts: the time, the resource's account and organization, MFA's age. */
    private void fillFacts(EvalScratch scratch, Prepared prepared, AccountFacts resourceAccount, long nowMillis) {
        TimeFacts.Second now = time.at(nowMillis);
        if (scratch.factsSecond == now.epochSecond() && scratch.factsAccount == resourceAccount
                && scratch.factsPrincipal == prepared) {
            return;
        }
        scratch.factsSecond = now.epochSecond();
        scratch.factsAccount = resourceAccount;
        scratch.factsPrincipal = prepared;
        SlotValues facts = scratch.facts;
        facts.clear();
        facts.put(currentTimeSlot, now.currentTime());
        facts.put(epochTimeSlot, now.epochTime());
        facts.put(resourceAccountSlot, resourceAccount.id());
        if (resourceAccount.orgPath() != null) {
            facts.put(resourceOrgIdSlot, organizationId);
            facts.putOne(resourceOrgPathsSlot, resourceAccount.orgPath());
        }
        if (prepared.mfa != null) {
            facts.put(mfaAgeSlot, prepared.mfaAge(now));
        }
    }

    /**
     * Decides a request of a prepared principal; the scratch holds the caller's context values.
     * Allocates, locks and throws nothing once the principal's plans for the action exist.
     *
     * @param endpoint the policy of the VPC endpoint the request came through, or null
     */
    public Decision decide(Prepared prepared, int actionId, String action, String resource,
            CompiledEndpoint endpoint, EvalScratch scratch) {
        return decide(prepared, actionId, action, resource, endpoint, scratch, time.millis());
    }

    /** As the other {@code decide}, at an instant the caller has read (milliseconds since the epoch). */
    public Decision decide(Prepared prepared, int actionId, String action, String resource,
            CompiledEndpoint endpoint, EvalScratch scratch, long nowMillis) {
        Decision restricted = restricted(prepared, action);
        if (restricted != null) {
            return restricted;
        }
        scratch.resource(resource);
        ArnParts arn = scratch.resource;
        AccountFacts resourceAccount = resourceAccount(arn, prepared.account);
        fillFacts(scratch, prepared, resourceAccount, nowMillis);
        scratch.principal = prepared.subject.facts;
        Subject.Plans plans = prepared.subject.plans(actionId, action);
        CompiledResource target = target(plans.info.trust(), arn);
        return evaluator.decide(prepared.subject, plans, resourceAccount.rcps(), target,
                endpoint == null ? null : endpoint.group, actionId, action, resource, resourceAccount.id(), scratch);
    }

    /** Decides and explains a request of a prepared principal, as the reference evaluator explains it. */
    public Evaluation explain(Prepared prepared, int actionId, String action, String resource,
            CompiledEndpoint endpoint, EvalScratch scratch) {
        Evaluation restricted = Authorizer.sessionTokenRestriction(prepared.identity, action);
        if (restricted != null) {
            return restricted;
        }
        scratch.resource(resource);
        ArnParts arn = scratch.resource;
        AccountFacts resourceAccount = resourceAccount(arn, prepared.account);
        fillFacts(scratch, prepared, resourceAccount, time.millis());
        scratch.principal = prepared.subject.facts;
        CompiledResource target = target(prepared.subject.plans(actionId, action).info.trust(), arn);
        return evaluator.explain(prepared.subject, resourceAccount.rcps(), target,
                endpoint == null ? null : endpoint.group, actionId, action, resource, resourceAccount.id(), scratch);
    }

    /**
     * Whether the principal's identity-based policies, and its permissions boundary and session
     * policies when it has them, each have an Allow statement for the action, or the action is
     * always allowed. {@link #decide} allows nothing else without a grant of the resource's (or
     * trust) policy.
     */
    public boolean identityCanAllow(Prepared prepared, int actionId, String action) {
        Subject.Plans plans = prepared.subject.plans(actionId, action);
        return plans.info.alwaysAllowed() || plans.identity.allows.length > 0
                && (plans.boundary == null || plans.boundary.allows.length > 0)
                && (plans.sessions == null || plans.sessions.allows.length > 0);
    }

    /**
     * Whether every level of SCPs that binds the principal has an Allow statement for the action,
     * or the action is always allowed. {@link #decide} allows nothing otherwise.
     */
    public boolean scpsCanAllow(Prepared prepared, int actionId, String action) {
        Subject.Plans plans = prepared.subject.plans(actionId, action);
        if (plans.info.alwaysAllowed() || !prepared.subject.caller.boundBySCPs) {
            return true;
        }
        for (PolicyGroup.Plan level : plans.scps) {
            if (level.allows.length == 0) {
                return false;
            }
        }
        return true;
    }

    private static Decision restricted(Prepared prepared, String action) {
        if (!prepared.sessionToken) {
            return null;
        }
        return Authorizer.sessionTokenRestriction(prepared.identity, action) == null ? null : Decision.IMPLICIT_DENY;
    }

    /**
     * Decides and explains a request of the anonymous caller. Unsigned requests are rare beside
     * signed ones and only a resource's own policy can allow them, so they take the reference
     * evaluator rather than compiled plans.
     */
    public Evaluation explainAnonymous(String action, String resource, RequestContext context)
            throws RequestException {
        return authorizer.authorizeAnonymous(action, resource, context);
    }

    /** Compiles a VPC endpoint's policy for requests through it. */
    public CompiledEndpoint endpoint(Policy policy) {
        return new CompiledEndpoint(new PolicyGroup(new CompiledPolicy[] {new CompiledPolicy(policy, symbols)},
                PolicyType.ENDPOINT, -1), this);
    }

    long now() {
        return time.millis();
    }

}
