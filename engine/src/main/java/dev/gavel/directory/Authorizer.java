package dev.gavel.directory;

import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.Explanation;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.ReferenceEvaluator;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.TrustActions;
import dev.gavel.match.Arn;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides requests by principal against a {@link Directory}: resolves who is asking, collects
 * every policy that applies (identity policies with their groups', boundary, session policies,
 * SCPs along the principal's organization path, RCPs of the resource's account, the resource's
 * policy) and fills the global context keys AWS fills from the principal, then evaluates.
 *
 * <p>The caller supplies the request facts ({@code aws:SourceIp}, {@code aws:SecureTransport},
 * {@code aws:RequestTag/*}...). Keys that describe the principal, the resource's account or the
 * time are Gavel's to fill: a caller that supplies one gets a {@link RequestException}.
 */
public final class Authorizer {

    /** Context keys filled from the principal, the resource's account and the clock, in lower case. */
    static final Set<String> FILLED_KEYS = Set.of(
            "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths",
            "aws:principaltype", "aws:userid", "aws:username", "aws:principalisawsservice",
            "aws:principalservicename", "aws:principalservicenameslist", "aws:tokenissuetime",
            "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:sourceidentity", "aws:federatedprovider",
            "aws:currenttime", "aws:epochtime", "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths");
    private static final String PRINCIPAL_TAG = "aws:principaltag/";
    /**
     * The filled keys that may differ between two sessions of one role (or two requests of one
     * user), as names and patterns: the session's name ({@code aws:userid}), its tags, source
     * identity, MFA and token time, its provider. A conditional analysis may make them unknown.
     */
    public static final List<String> SESSION_KEY_PATTERNS = List.of("aws:userid", "aws:SourceIdentity",
            "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:TokenIssueTime", "aws:FederatedProvider",
            "aws:PrincipalTag/*");
    /** The principal of an unsigned request, as the evaluators name it. */
    public static final String ANONYMOUS = "anonymous";

    /** Whether Gavel fills this context key from the principal, the resource's account or the clock. */
    public static boolean isFilledKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return FILLED_KEYS.contains(lower) || lower.startsWith(PRINCIPAL_TAG);
    }

    /**
     * The keys Gavel fills, as names and patterns ({@code aws:principaltag/*}): for a directory's
     * principal they are known, whether filled or absent.
     */
    public static List<String> filledKeyPatterns() {
        List<String> patterns = new ArrayList<>(FILLED_KEYS);
        patterns.add(PRINCIPAL_TAG + "*");
        return patterns;
    }

    /** A request ready for an evaluator: the request with its filled context, and its policies. */
    public record Prepared(Request request, PolicySet policies) {}

    private final Directory directory;
    private final Clock clock;
    private final Policy endpointPolicy;
    private final ReferenceEvaluator evaluator = new ReferenceEvaluator();

    public Authorizer(Directory directory, Clock clock) {
        this(directory, clock, null);
    }

    private Authorizer(Directory directory, Clock clock, Policy endpointPolicy) {
        this.directory = directory;
        this.clock = clock;
        this.endpointPolicy = endpointPolicy;
    }

    /**
     * An authorizer for requests that arrive through a VPC endpoint with this policy: the policy
     * must also allow each request, and its explicit denies decide.
     */
    public Authorizer throughEndpoint(Policy policy) {
        return new Authorizer(directory, clock, policy);
    }

    public Directory directory() {
        return directory;
    }

    /**
     * The identity behind a principal ARN: a user, or a role session (then with no session
     * policy, as {@code aws iam simulate-principal-policy} evaluates one). A role ARN is refused:
     * only a role's sessions act.
     */
    public Identity identity(String principalArn) throws RequestException {
        Arn arn = Arn.parse(principalArn);
        if (arn == null) {
            throw new RequestException("principal", "\"" + principalArn + "\" is not an ARN");
        }
        if (arn.service().equals("iam") && arn.resource().startsWith("user/")) {
            User user = directory.user(principalArn);
            if (user == null) {
                throw new RequestException("principal", "no user " + principalArn + " in the directory");
            }
            return new Identity.UserIdentity(user, null);
        }
        if (arn.service().equals("iam") && arn.resource().startsWith("role/")) {
            throw new RequestException("principal", principalArn + " is a role, and a role makes no request itself: "
                    + "assume it and use the session's credentials, or name a session as arn:" + arn.partition()
                    + ":sts::" + arn.account() + ":assumed-role/" + Directory.lastSegment(arn.resource())
                    + "/SESSION_NAME");
        }
        if (arn.service().equals("sts") && arn.resource().startsWith("assumed-role/")) {
            String[] parts = arn.resource().split("/");
            Account account = directory.account(arn.account());
            Role role = account == null || parts.length != 3 ? null : account.role(parts[1]);
            if (role == null) {
                throw new RequestException("principal", "no role " + (parts.length > 1 ? parts[1] : "")
                        + " in account " + arn.account() + " for session " + principalArn);
            }
            Instant now = clock.instant();
            Session session = new Session(Session.Kind.ASSUMED_ROLE, role.accountId(), role.arn(), null, parts[2],
                    null, now, now.plusSeconds(Role.DEFAULT_MAX_SESSION_DURATION), null, List.of(), Map.of(),
                    List.of(), null, null, null, false);
            return new Identity.RoleSessionIdentity(role, session);
        }
        throw new RequestException("principal", "\"" + principalArn
                + "\" is neither a user nor a role session (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION)");
    }

    /** Decides one request by an identity. */
    public Evaluation authorize(Identity identity, String action, String resource, RequestContext callerContext)
            throws RequestException {
        Evaluation restricted = sessionTokenRestriction(identity, action);
        if (restricted != null) {
            return restricted;
        }
        Prepared prepared = prepare(identity, action, resource, callerContext);
        return evaluator.evaluate(prepared.request(), prepared.policies());
    }

    /** Decides one request of the anonymous caller, as {@link #prepareAnonymous} prepares it. */
    public Evaluation authorizeAnonymous(String action, String resource, RequestContext callerContext)
            throws RequestException {
        Prepared prepared = prepareAnonymous(action, resource, callerContext);
        return evaluator.evaluate(prepared.request(), prepared.policies());
    }

    /** The request and policies an evaluator decides, without deciding. */
    public Prepared prepare(Identity identity, String action, String resource, RequestContext callerContext)
            throws RequestException {
        return prepare(identity, action, resource, callerContext, null);
    }

    /**
     * As {@link #prepare(Identity, String, String, RequestContext)}, for a request in which the
     * caller has just passed an MFA check (an STS call with a serial number and code): the MFA
     * keys then say so whatever the credentials carry.
     */
    public Prepared prepare(Identity identity, String action, String resource, RequestContext callerContext,
            Instant mfaAuthenticatedAt) throws RequestException {
        if (action.indexOf(':') <= 0) {
            throw new RequestException("action", "\"" + action + "\" is not service:Action");
        }
        String resourceAccount = directory.resourceAccount(resource);
        if (resourceAccount == null) {
            resourceAccount = identity.accountId();
        }
        RequestContext context = context(identity, resourceAccount, callerContext == null
                ? RequestContext.empty() : callerContext, mfaAuthenticatedAt);
        Request request = new Request(identity.principalArn(), action, resource, resourceAccount, context);
        return new Prepared(request, policies(identity, action, resource, resourceAccount));
    }

    /**
     * The request and policies of an anonymous caller (an unsigned request): no identity-based
     * policies, no SCPs (they bind only an account's principals), and the resource's account's
     * RCPs and policy, which alone can allow it.
     */
    public Prepared prepareAnonymous(String action, String resource, RequestContext callerContext)
            throws RequestException {
        if (action.indexOf(':') <= 0) {
            throw new RequestException("action", "\"" + action + "\" is not service:Action");
        }
        RequestContext caller = callerContext == null ? RequestContext.empty() : callerContext;
        for (RequestContext.Entry entry : caller.entries()) {
            if (isFilledKey(entry.key())) {
                throw new RequestException("context." + entry.key(), "is filled from the principal, the resource's "
                        + "account or the clock, and cannot be supplied");
            }
        }
        String resourceAccount = directory.resourceAccount(resource);
        RequestContext.Builder context = caller.toBuilder();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        context.put("aws:CurrentTime", now.toString());
        context.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        Organization organization = directory.organization();
        List<List<Policy>> rcps = List.of();
        if (resourceAccount != null) {
            context.put("aws:ResourceAccount", resourceAccount);
            String resourcePath = organization == null ? null : organization.orgPath(resourceAccount);
            if (resourcePath != null) {
                context.put("aws:ResourceOrgID", organization.id());
                context.putMultivalued("aws:ResourceOrgPaths", List.of(resourcePath));
            }
            rcps = organization == null ? List.of() : organization.rcpLevels(resourceAccount);
        }
        ResourcePolicy attached = TrustActions.contains(action) ? null : directory.resourcePolicy(resource);
        Policy resourcePolicy = attached == null ? null : attached.policy();
        Request request = new Request(ANONYMOUS, action, resource, resourceAccount, context.build());
        return new Prepared(request, PolicySet.builder().resourcePolicy(resourcePolicy).rcps(rcps)
                .endpointPolicy(endpointPolicy).restrictPublicBuckets(attached != null
                        && attached.restrictPublicBuckets()).build());
    }

    private PolicySet policies(Identity identity, String action, String resource, String resourceAccount)
            throws RequestException {
        Organization organization = directory.organization();
        // The evaluator leaves service-linked roles out of both, knowing them by their path.
        List<List<Policy>> scps = organization == null ? List.of() : organization.scpLevels(identity.accountId());
        List<List<Policy>> rcps = organization == null ? List.of() : organization.rcpLevels(resourceAccount);

        Policy resourcePolicy = null;
        boolean restrictPublicBuckets = false;
        if (TrustActions.contains(action)) {
            Role target = directory.role(resource);
            resourcePolicy = target == null ? null : target.trustPolicy();
        } else {
            ResourcePolicy attached = directory.resourcePolicy(resource);
            resourcePolicy = attached == null ? null : attached.policy();
            restrictPublicBuckets = attached != null && attached.restrictPublicBuckets();
        }
        return PolicySet.builder().identityPolicies(identityPolicies(identity))
                .permissionBoundary(permissionsBoundary(identity)).sessionPolicies(sessionPolicies(identity))
                .resourcePolicy(resourcePolicy).scps(scps).rcps(rcps)
                .endpointPolicy(endpointPolicy).restrictPublicBuckets(restrictPublicBuckets).build();
    }

    /** An identity's identity-based policies, in order: its own inline and attached ones, then each group's. */
    public List<Policy> identityPolicies(Identity identity) {
        List<Policy> policies = new ArrayList<>();
        Account account = directory.account(identity.accountId());
        if (identity instanceof Identity.UserIdentity user) {
            user.user().inlinePolicies().forEach(p -> policies.add(p.document()));
            user.user().attachedPolicyArns().forEach(arn -> policies.add(account.policy(arn).document()));
            for (String groupName : user.user().groupNames()) {
                Group group = account.group(groupName);
                group.inlinePolicies().forEach(p -> policies.add(p.document()));
                group.attachedPolicyArns().forEach(arn -> policies.add(account.policy(arn).document()));
            }
        } else {
            Role role = ((Identity.RoleSessionIdentity) identity).role();
            role.inlinePolicies().forEach(p -> policies.add(p.document()));
            role.attachedPolicyArns().forEach(arn -> policies.add(account.policy(arn).document()));
        }
        return policies;
    }

    /** An identity's permissions boundary (its user's or its role's), or null. */
    public Policy permissionsBoundary(Identity identity) {
        String arn = identity instanceof Identity.UserIdentity user ? user.user().permissionsBoundaryArn()
                : ((Identity.RoleSessionIdentity) identity).role().permissionsBoundaryArn();
        return arn == null ? null : directory.managedPolicy(identity.accountId(), arn).document();
    }

    /** The session policies of an identity's session; empty without a session. */
    public List<Policy> sessionPolicies(Identity identity) throws RequestException {
        Session session = identity instanceof Identity.UserIdentity user ? user.session()
                : ((Identity.RoleSessionIdentity) identity).session();
        return session == null ? List.of() : sessionPolicies(session);
    }

    private List<Policy> sessionPolicies(Session session) throws RequestException {
        List<Policy> policies = new ArrayList<>();
        if (session.inlinePolicy() != null) {
            ParseResult parsed = PolicyParser.parse("session policy", session.inlinePolicy());
            if (parsed.hasErrors()) {
                throw new RequestException("session", "the session policy is invalid: " + parsed.findings().get(0));
            }
            policies.add(parsed.policy());
        }
        for (String arn : session.policyArns()) {
            ManagedPolicy managed = directory.managedPolicy(session.accountId(), arn);
            if (managed == null) {
                throw new RequestException("session", "session policy " + arn + " is no longer in the directory");
            }
            policies.add(managed.document());
        }
        return policies;
    }

    private RequestContext context(Identity identity, String resourceAccount, RequestContext caller,
            Instant mfaAuthenticatedAt) throws RequestException {
        for (RequestContext.Entry entry : caller.entries()) {
            if (isFilledKey(entry.key())) {
                throw new RequestException("context." + entry.key(), "is filled from the principal, the resource's "
                        + "account or the clock, and cannot be supplied");
            }
        }
        RequestContext.Builder context = caller.toBuilder();
        for (RequestContext.Entry entry : principalFacts(identity).entries()) {
            if (entry.multivalued()) {
                context.putMultivalued(entry.key(), entry.values());
            } else {
                context.put(entry.key(), entry.values().get(0));
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        context.put("aws:CurrentTime", now.toString());
        context.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        context.put("aws:ResourceAccount", resourceAccount);
        Organization organization = directory.organization();
        String resourcePath = organization == null ? null : organization.orgPath(resourceAccount);
        if (resourcePath != null) {
            context.put("aws:ResourceOrgID", organization.id());
            context.putMultivalued("aws:ResourceOrgPaths", List.of(resourcePath));
        }
        Instant mfa = mfaAuthenticatedAt != null ? mfaAuthenticatedAt : mfaAuthenticatedAt(identity);
        if (mfaAuthenticatedAt != null) {
            context.put("aws:MultiFactorAuthPresent", "true");
        }
        if (mfa != null) {
            context.put("aws:MultiFactorAuthAge", Long.toString(multiFactorAuthAge(mfa, now)));
        }
        return context.build();
    }

    /** When the identity's session authenticated with MFA, or null. */
    public static Instant mfaAuthenticatedAt(Identity identity) {
        Session session = identity instanceof Identity.UserIdentity user ? user.session()
                : ((Identity.RoleSessionIdentity) identity).session();
        return session == null ? null : session.mfaAuthenticatedAt();
    }

    /** {@code aws:MultiFactorAuthAge}: whole seconds since MFA, never negative. */
    public static long multiFactorAuthAge(Instant mfaAuthenticatedAt, Instant now) {
        return Math.max(0, Duration.between(mfaAuthenticatedAt, now).getSeconds());
    }

    /**
     * The context keys AWS fills from the principal alone, the same for every request it makes:
     * its account and organization, ARN, type, ids, tags, and its session's facts. The time, the
     * resource's account and organization, and the age of MFA are the request's.
     */
    public RequestContext principalFacts(Identity identity) {
        RequestContext.Builder context = RequestContext.builder();
        context.put("aws:PrincipalAccount", identity.accountId());
        context.put("aws:PrincipalIsAWSService", "false");
        Organization organization = directory.organization();
        String principalPath = organization == null ? null : organization.orgPath(identity.accountId());
        if (principalPath != null) {
            context.put("aws:PrincipalOrgID", organization.id());
            context.putMultivalued("aws:PrincipalOrgPaths", List.of(principalPath));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        Session session;
        if (identity instanceof Identity.UserIdentity user) {
            context.put("aws:PrincipalArn", user.user().arn());
            context.put("aws:PrincipalType", "User");
            context.put("aws:userid", user.user().id() == null ? user.user().name() : user.user().id());
            context.put("aws:username", user.user().name());
            user.user().tags().forEach(tag -> tags.put(tag.key(), tag.value()));
            session = user.session();
        } else {
            Identity.RoleSessionIdentity roleSession = (Identity.RoleSessionIdentity) identity;
            session = roleSession.session();
            context.put("aws:PrincipalArn", roleSession.role().arn());
            context.put("aws:PrincipalType", "AssumedRole");
            String roleId = roleSession.role().id() == null ? roleSession.role().name() : roleSession.role().id();
            context.put("aws:userid", roleId + ":" + session.sessionName());
            roleSession.role().tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        }
        if (session != null) {
            sessionFacts(context, session, tags);
        }
        tags.forEach((key, value) -> context.put("aws:PrincipalTag/" + key, value));
        return context.build();
    }

    private static void sessionFacts(RequestContext.Builder context, Session session, Map<String, String> tags) {
        context.put("aws:TokenIssueTime", session.issuedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        context.put("aws:MultiFactorAuthPresent", Boolean.toString(session.mfaAuthenticatedAt() != null));
        if (session.sourceIdentity() != null) {
            context.put("aws:SourceIdentity", session.sourceIdentity());
        }
        if (session.kind() == Session.Kind.WEB_IDENTITY || session.kind() == Session.Kind.SAML) {
            context.put("aws:FederatedProvider", session.federatedProvider());
        }
        // Session tags replace the role's tags of the same key, whatever the case of the key.
        session.tags().forEach((key, value) -> {
            tags.keySet().removeIf(existing -> existing.equalsIgnoreCase(key));
            tags.put(key, value);
        });
    }

    /**
     * AWS's limits on credentials from {@code GetSessionToken}: no IAM API without MFA, and no STS
     * API but {@code AssumeRole} and {@code GetCallerIdentity}. The refusal, or null when the
     * identity is not so limited.
     */
    public static Evaluation sessionTokenRestriction(Identity identity, String action) {
        if (!(identity instanceof Identity.UserIdentity user) || user.session() == null) {
            return null;
        }
        String lower = action.toLowerCase(Locale.ROOT);
        String reason = null;
        if (lower.startsWith("iam:") && user.session().mfaAuthenticatedAt() == null) {
            reason = "credentials from GetSessionToken without MFA cannot call IAM";
        } else if (lower.startsWith("sts:") && !lower.equals("sts:assumerole") && !lower.equals("sts:getcalleridentity")) {
            reason = "credentials from GetSessionToken can call no STS action but AssumeRole and GetCallerIdentity";
        }
        return reason == null ? null
                : new Evaluation(Decision.IMPLICIT_DENY, new Explanation(null, reason, List.of(), List.of()));
    }
}
