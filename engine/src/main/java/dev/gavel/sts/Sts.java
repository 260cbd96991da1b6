package dev.gavel.sts;

import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.ManagedPolicy;
import dev.gavel.directory.MfaDevice;
import dev.gavel.directory.Organization;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Role;
import dev.gavel.directory.SamlProvider;
import dev.gavel.directory.Session;
import dev.gavel.directory.Tag;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.ReferenceEvaluator;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Finding;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.Severity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The STS flows that turn a caller into a session: {@code AssumeRole} (by a user or a role
 * session, with external ids, session policies, tags, source identity and MFA),
 * {@code AssumeRoleWithWebIdentity} and {@code AssumeRoleWithSAML} (with the session tags and
 * source identity the identity provider passes), a service assuming its service role, and
 * {@code GetSessionToken}. Each flow checks its parameters as the STS API
 * does, asks the role's trust policy (and, where AWS does, the caller's own policies), and
 * issues credentials whose session token carries the whole session, sealed.
 */
public final class Sts {

    /** The packed allowance that {@code PackedPolicySize} is a percentage of (an estimate of AWS's). */
    private static final int PACKED_ALLOWANCE = 2_048;
    private static final int SESSION_POLICY_MAX = 2_048;

    private final Directory directory;
    private final Clock clock;
    private final Authorizer authorizer;
    private final SessionTokens tokens;
    private final CredentialResolver credentials;
    private final WebIdentityVerifier webIdentity;
    private final SamlVerifier saml;
    private final ReferenceEvaluator evaluator = new ReferenceEvaluator();

    public Sts(Directory directory, Clock clock, SecureRandom random) {
        this.directory = directory;
        this.clock = clock;
        this.authorizer = new Authorizer(directory, clock);
        this.tokens = new SessionTokens(directory.sessionKeys(), clock, random);
        this.credentials = new CredentialResolver(directory, tokens);
        this.webIdentity = new WebIdentityVerifier(clock);
        this.saml = new SamlVerifier(clock);
    }

    /** Resolves access keys (and session tokens) into identities, and gives the SigV4 verifier its secrets. */
    public CredentialResolver credentials() {
        return credentials;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** {@code AssumeRole}: a user or a role session asks for a session of a role. */
    public IssuedSession assumeRole(Identity caller, AssumeRoleRequest request) throws StsException {
        StsRules.roleArn(request.roleArn());
        StsRules.sessionName(request.roleSessionName(), "roleSessionName");
        StsRules.externalId(request.externalId());
        StsRules.sourceIdentity(request.sourceIdentity());
        StsRules.tags(request.tags(), request.transitiveTagKeys());
        Session callerSession = caller instanceof Identity.RoleSessionIdentity rs ? rs.session()
                : ((Identity.UserIdentity) caller).session();
        boolean chained = caller instanceof Identity.RoleSessionIdentity;
        Role role = directory.role(request.roleArn());
        if (role == null) {
            throw notAuthorized(caller.principalArn(), "sts:AssumeRole", request.roleArn(), "the role does not exist");
        }
        int duration = StsRules.duration(request.durationSeconds(), Role.DEFAULT_MAX_SESSION_DURATION,
                role.maxSessionDurationSeconds(), chained);

        Map<String, String> tags = new LinkedHashMap<>();
        List<String> transitive = new ArrayList<>();
        String sourceIdentity = request.sourceIdentity();
        if (callerSession != null) {
            for (String key : callerSession.transitiveTagKeys()) {
                String value = callerSession.tags().get(key);
                boolean overridden = request.tags().stream().anyMatch(t -> t.key().equalsIgnoreCase(key));
                if (overridden) {
                    throw new StsException("InvalidParameterValue", "Tag key " + key
                            + " is transitive from the calling session and cannot be set again");
                }
                tags.put(key, value);
                transitive.add(key);
            }
            if (callerSession.sourceIdentity() != null) {
                if (sourceIdentity != null && !sourceIdentity.equals(callerSession.sourceIdentity())) {
                    throw new StsException("InvalidParameterValue", "SourceIdentity is already set to "
                            + callerSession.sourceIdentity() + " by the calling session and cannot be changed");
                }
                sourceIdentity = callerSession.sourceIdentity();
            }
        }
        request.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        transitive.addAll(asTagged(request.tags(), request.transitiveTagKeys()));
        SessionPolicies policies = sessionPolicies(role.accountId(), request.policy(), request.policyArns(), tags,
                !request.tags().isEmpty());

        Instant mfa = null;
        if (request.serialNumber() != null || request.tokenCode() != null) {
            mfa = verifyMfa(caller, request.serialNumber(), request.tokenCode());
        }
        RequestContext.Builder context = request.context().toBuilder()
                .put("sts:RoleSessionName", request.roleSessionName());
        if (request.externalId() != null) {
            context.put("sts:ExternalId", request.externalId());
        }
        putSessionFacts(context, request.tags(), request.transitiveTagKeys(), request.sourceIdentity());
        RequestContext trustContext = context.build();
        requireAllowed(caller, "sts:AssumeRole", role, trustContext, mfa);
        if (!request.tags().isEmpty()) {
            requireAllowed(caller, "sts:TagSession", role, trustContext, mfa);
        }
        if (request.sourceIdentity() != null) {
            requireAllowed(caller, "sts:SetSourceIdentity", role, trustContext, mfa);
        }
        Map<String, String> details = new LinkedHashMap<>();
        if (sourceIdentity != null) {
            details.put("SourceIdentity", sourceIdentity);
        }
        return issue(Session.Kind.ASSUMED_ROLE, role, request.roleSessionName(), duration, policies, tags, transitive,
                sourceIdentity, mfa, null, chained, details);
    }

    /** {@code AssumeRoleWithWebIdentity}: an OIDC token from a provider the role's account trusts. */
    public IssuedSession assumeRoleWithWebIdentity(WebIdentityRequest request) throws StsException {
        StsRules.roleArn(request.roleArn());
        StsRules.sessionName(request.roleSessionName(), "roleSessionName");
        if (request.webIdentityToken() == null || request.webIdentityToken().length() < 4) {
            throw StsRules.constraint(String.valueOf(request.webIdentityToken()), "webIdentityToken",
                    "Member must have length greater than or equal to 4");
        }
        Role role = directory.role(request.roleArn());
        if (role == null) {
            throw new StsException("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }
        int duration = StsRules.duration(request.durationSeconds(), Role.DEFAULT_MAX_SESSION_DURATION,
                role.maxSessionDurationSeconds(), false);
        VerifiedWebIdentity identity = webIdentity.verify(request.webIdentityToken(),
                directory.oidcProviders(role.accountId()));
        SessionClaims claims = identity.sessionClaims();
        StsRules.providerTags(claims.tags(), claims.transitiveTagKeys());
        Map<String, String> tags = tagMap(claims.tags());
        SessionPolicies policies = sessionPolicies(role.accountId(), request.policy(), request.policyArns(), tags,
                !tags.isEmpty());
        RequestContext.Builder context = RequestContext.builder()
                .put("sts:RoleSessionName", request.roleSessionName());
        identity.contextKeys().forEach((key, values) -> put(context, key, values));
        putSessionFacts(context, claims.tags(), claims.transitiveTagKeys(), claims.sourceIdentity());
        requireFederatedTrust(identity.provider().arn(), "sts:AssumeRoleWithWebIdentity", role, context.build(),
                claims);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("SubjectFromWebIdentityToken", identity.subject());
        details.put("Provider", identity.provider().arn());
        details.put("Audience", identity.audience());
        if (claims.sourceIdentity() != null) {
            details.put("SourceIdentity", claims.sourceIdentity());
        }
        return issue(Session.Kind.WEB_IDENTITY, role, request.roleSessionName(), duration, policies, tags,
                asTagged(claims.tags(), claims.transitiveTagKeys()), claims.sourceIdentity(), null,
                identity.provider().arn(), false, details);
    }

    /** {@code AssumeRoleWithSAML}: a signed SAML response from a provider the role's account trusts. */
    public IssuedSession assumeRoleWithSaml(SamlRequest request) throws StsException {
        StsRules.roleArn(request.roleArn());
        if (request.principalArn() == null || !request.principalArn().contains(":saml-provider/")) {
            throw StsRules.constraint(String.valueOf(request.principalArn()), "principalArn",
                    "Member must be the ARN of a SAML provider");
        }
        if (request.samlAssertion() == null || request.samlAssertion().length() < 4) {
            throw StsRules.constraint("", "SAMLAssertion", "Member must have length greater than or equal to 4");
        }
        Role role = directory.role(request.roleArn());
        SamlProvider provider = directory.samlProvider(request.principalArn());
        if (role == null || provider == null || !provider.accountId().equals(role.accountId())) {
            throw new StsException("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");
        }
        VerifiedSaml assertion = saml.verify(request.samlAssertion(), provider, role.arn());
        int duration = StsRules.duration(request.durationSeconds(), Role.DEFAULT_MAX_SESSION_DURATION,
                role.maxSessionDurationSeconds(), false);
        if (assertion.sessionDuration() != null) {
            // The SessionDuration attribute lengthens console sessions only; in an AssumeRoleWithSAML
            // call it can shorten the session, never lengthen it ("Configuring SAML assertions for the
            // authentication response").
            duration = Math.min(duration, assertion.sessionDuration());
        }
        SessionClaims claims = assertion.sessionClaims();
        StsRules.providerTags(claims.tags(), claims.transitiveTagKeys());
        Map<String, String> tags = tagMap(claims.tags());
        SessionPolicies policies = sessionPolicies(role.accountId(), request.policy(), request.policyArns(), tags,
                !tags.isEmpty());
        RequestContext.Builder context = RequestContext.builder();
        assertion.contextKeys().forEach((key, values) -> put(context, key, values));
        putSessionFacts(context, claims.tags(), claims.transitiveTagKeys(), claims.sourceIdentity());
        requireFederatedTrust(provider.arn(), "sts:AssumeRoleWithSAML", role, context.build(), claims);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Subject", assertion.subject());
        details.put("SubjectType", assertion.subjectType());
        details.put("Issuer", assertion.issuer());
        details.put("Audience", assertion.audience());
        details.put("NameQualifier", assertion.nameQualifier());
        if (claims.sourceIdentity() != null) {
            details.put("SourceIdentity", claims.sourceIdentity());
        }
        return issue(Session.Kind.SAML, role, assertion.sessionName(), duration, policies, tags,
                asTagged(claims.tags(), claims.transitiveTagKeys()), claims.sourceIdentity(), null, provider.arn(),
                false, details);
    }

    /** An AWS service assuming a role that trusts it, on behalf of a source account and resource. */
    public IssuedSession assumeServiceRole(ServiceRoleRequest request) throws StsException {
        StsRules.roleArn(request.roleArn());
        StsRules.sessionName(request.roleSessionName(), "roleSessionName");
        String service = request.servicePrincipal();
        if (service == null || !service.matches("[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?")) {
            throw StsRules.constraint(String.valueOf(service), "servicePrincipal",
                    "Member must be a service principal such as ec2.amazonaws.com");
        }
        Role role = directory.role(request.roleArn());
        if (role == null) {
            throw notAuthorized(service, "sts:AssumeRole", request.roleArn(), "the role does not exist");
        }
        int duration = StsRules.duration(request.durationSeconds(), Role.DEFAULT_MAX_SESSION_DURATION,
                role.maxSessionDurationSeconds(), false);
        RequestContext.Builder context = RequestContext.builder()
                .put("aws:PrincipalIsAWSService", "true")
                .put("aws:PrincipalServiceName", service)
                .put("sts:RoleSessionName", request.roleSessionName());
        if (request.sourceAccount() != null) {
            context.put("aws:SourceAccount", request.sourceAccount());
        }
        if (request.sourceArn() != null) {
            context.put("aws:SourceArn", request.sourceArn());
        }
        Evaluation trust = federatedTrust(service, "sts:AssumeRole", role, context.build());
        if (trust.decision() != Decision.ALLOWED) {
            throw notAuthorized(service, "sts:AssumeRole", role.arn(), trust.explanation().reason());
        }
        return issue(Session.Kind.SERVICE, role, request.roleSessionName(), duration, SessionPolicies.NONE, Map.of(),
                List.of(), null, null, service, false, Map.of());
    }

    /** {@code GetSessionToken}: a user's own temporary credentials, with MFA facts when a code is given. */
    public IssuedSession getSessionToken(Identity caller, SessionTokenRequest request) throws StsException {
        if (!(caller instanceof Identity.UserIdentity user) || user.session() != null) {
            throw new StsException("AccessDenied", "Cannot call GetSessionToken with session credentials");
        }
        int duration = 43_200;
        if (request.durationSeconds() != null) {
            if (request.durationSeconds() < 900) {
                throw StsRules.constraint(request.durationSeconds().toString(), "durationSeconds",
                        "Member must have value greater than or equal to 900");
            }
            if (request.durationSeconds() > 129_600) {
                throw StsRules.constraint(request.durationSeconds().toString(), "durationSeconds",
                        "Member must have value less than or equal to 129600");
            }
            duration = request.durationSeconds();
        }
        Instant mfa = null;
        if (request.serialNumber() != null || request.tokenCode() != null) {
            mfa = verifyMfa(caller, request.serialNumber(), request.tokenCode());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Session session = new Session(Session.Kind.USER, user.accountId(), null, user.user().arn(), null,
                tokens.newAccessKeyId(), now, now.plusSeconds(duration), null, List.of(), Map.of(), List.of(), null,
                mfa, null, false);
        return new IssuedSession(session, credentialsFor(session), null, Map.of());
    }

    private IssuedSession issue(Session.Kind kind, Role role, String sessionName, int duration,
            SessionPolicies policies, Map<String, String> tags, List<String> transitive, String sourceIdentity,
            Instant mfa, String provider, boolean chained, Map<String, String> details) throws StsException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Session session = new Session(kind, role.accountId(), role.arn(), null, sessionName, tokens.newAccessKeyId(),
                now, now.plusSeconds(duration), policies.inline(), policies.arns(), tags, transitive, sourceIdentity,
                mfa, provider, chained);
        return new IssuedSession(session, credentialsFor(session), policies.packedPercent(), details);
    }

    private Credentials credentialsFor(Session session) throws StsException {
        String token = tokens.seal(session);
        return new Credentials(session.accessKeyId(), tokens.secretFor(session, token), token, session.expiresAt());
    }

    /**
     * The checked session policies of a request, and their packed size with the session tags: a
     * percentage, or null when the request passed no policies and no tags.
     */
    private record SessionPolicies(String inline, List<String> arns, Integer packedPercent) {
        static final SessionPolicies NONE = new SessionPolicies(null, List.of(), null);
    }

    /**
     * Checks the session policies of a request and packs them with the session's tags.
     *
     * @param tags every tag the session gets, inherited ones included
     * @param tagsPassed whether the request itself passed tags, which makes AWS report the packed size
     */
    private SessionPolicies sessionPolicies(String accountId, String policy, List<String> arns,
            Map<String, String> tags, boolean tagsPassed) throws StsException {
        if (arns.size() > StsRules.MAX_POLICY_ARNS) {
            throw StsRules.constraint(arns.size() + " ARNs", "policyArns", "Member must have length less than or equal to 10");
        }
        int plaintext = policy == null ? 0 : policy.length();
        for (String arn : arns) {
            ManagedPolicy managed = directory.managedPolicy(accountId, arn);
            if (managed == null) {
                throw new StsException("InvalidParameterValue", "Policy " + arn + " does not exist or is not attachable.");
            }
            plaintext += arn.length();
        }
        if (plaintext > SESSION_POLICY_MAX) {
            throw StsRules.constraint("(" + plaintext + " characters)", "policy",
                    "Member must have length less than or equal to 2048 (inline policy and policy ARNs together)");
        }
        String compact = null;
        if (policy != null) {
            ParseResult parsed = PolicyParser.parse("session policy", policy);
            List<Finding> findings = new ArrayList<>(parsed.findings());
            if (parsed.policy() != null) {
                findings.addAll(new PolicyValidator(new PolicyValidator.Options(PolicyType.SESSION, PolicyQuota.SESSION,
                        true, null)).validate(parsed.policy()));
            }
            for (Finding finding : findings) {
                if (finding.severity() == Severity.ERROR) {
                    throw new StsException("MalformedPolicyDocument", "The session policy is not valid: "
                            + finding.location() + " " + finding.location().path() + ": " + finding.message());
                }
            }
            compact = policy.replaceAll("\\s+", "");
        }
        StringBuilder packed = new StringBuilder(compact == null ? "" : compact);
        arns.forEach(arn -> packed.append('\n').append(arn));
        tags.forEach((key, value) -> packed.append('\n').append(key).append('=').append(value));
        int percent = packedPercent(packed.toString());
        if (percent > 100) {
            throw new StsException("PackedPolicyTooLarge", "Packed policy consumes " + percent
                    + "% of allotted space, please use smaller policy.");
        }
        boolean passed = policy != null || !arns.isEmpty() || tagsPassed;
        return new SessionPolicies(policy, arns, passed ? percent : null);
    }

    /** The packed size as a percentage: the deflated policies and tags against the allowance. */
    private static int packedPercent(String packed) {
        if (packed.isEmpty()) {
            return 0;
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(packed.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        byte[] buffer = new byte[8_192];
        int size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(buffer);
        }
        deflater.end();
        return (int) Math.ceil(100.0 * size / PACKED_ALLOWANCE);
    }

    private Instant verifyMfa(Identity caller, String serialNumber, String tokenCode) throws StsException {
        MfaDevice device = serialNumber == null ? null : directory.mfaDevice(serialNumber);
        String userArn = caller instanceof Identity.UserIdentity user ? user.user().arn() : null;
        Instant now = clock.instant();
        if (device == null || tokenCode == null || !device.userArn().equals(userArn)
                || !Totp.verify(device.seed(), tokenCode, now)) {
            throw new StsException("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.");
        }
        return now.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Evaluates a trust policy (with the caller's own policies and guardrails) and refuses unless allowed. */
    private void requireAllowed(Identity caller, String action, Role role, RequestContext context, Instant mfa)
            throws StsException {
        Evaluation evaluation;
        try {
            Authorizer.Prepared prepared = authorizer.prepare(caller, action, role.arn(), context, mfa);
            evaluation = evaluator.evaluate(prepared.request(), prepared.policies());
        } catch (RequestException e) {
            throw new StsException("ValidationError", e.getMessage());
        }
        if (evaluation.decision() != Decision.ALLOWED) {
            throw notAuthorized(caller.principalArn(), action, role.arn(), evaluation.explanation().reason());
        }
    }

    /**
     * The request facts that session tags and a source identity add to the trust evaluation
     * ("Passing session tags in AWS STS", "Monitor and control actions taken with assumed roles"):
     * {@code aws:RequestTag/KEY} for each tag, the multivalued {@code aws:TagKeys} and
     * {@code sts:TransitiveTagKeys}, and {@code sts:SourceIdentity}.
     */
    private static void putSessionFacts(RequestContext.Builder context, List<Tag> tags, List<String> transitiveTagKeys,
            String sourceIdentity) {
        if (sourceIdentity != null) {
            context.put("sts:SourceIdentity", sourceIdentity);
        }
        if (!tags.isEmpty()) {
            tags.forEach(tag -> context.put("aws:RequestTag/" + tag.key(), tag.value()));
            context.putMultivalued("aws:TagKeys", tags.stream().map(Tag::key).toList());
        }
        if (!transitiveTagKeys.isEmpty()) {
            context.putMultivalued("sts:TransitiveTagKeys", transitiveTagKeys);
        }
    }

    /**
     * Transitive tag keys as the tags spell them: keys compare without regard to case, so that
     * {@code TEAM} makes the tag {@code team} transitive, and the session keeps {@code team}.
     * The keys have passed {@code StsRules}, so each names a tag.
     */
    private static List<String> asTagged(List<Tag> tags, List<String> transitiveTagKeys) {
        List<String> keys = new ArrayList<>();
        for (String key : transitiveTagKeys) {
            tags.stream().map(Tag::key).filter(key::equalsIgnoreCase).findFirst()
                    .filter(tagged -> !keys.contains(tagged)).ifPresent(keys::add);
        }
        return keys;
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(tag -> map.put(tag.key(), tag.value()));
        return map;
    }

    /**
     * The trust checks of a federated flow, in order: the role's trust policy must allow the
     * flow's own action; then {@code sts:TagSession} when the identity provider passes session
     * tags, and {@code sts:SetSourceIdentity} when it passes a source identity, since the trust
     * policy of a role connected to an identity provider must allow each of them ("Passing session
     * tags in AWS STS", "Monitor and control actions taken with assumed roles"). The first refusal
     * is worded as "Troubleshoot SAML federation with IAM" quotes STS; AWS documents no words for
     * the other two, which name their action the same way.
     */
    private void requireFederatedTrust(String provider, String action, Role role, RequestContext context,
            SessionClaims claims) throws StsException {
        List<String> actions = new ArrayList<>(3);
        actions.add(action);
        if (!claims.tags().isEmpty()) {
            actions.add("sts:TagSession");
        }
        if (claims.sourceIdentity() != null) {
            actions.add("sts:SetSourceIdentity");
        }
        for (String needed : actions) {
            if (federatedTrust(provider, needed, role, context).decision() != Decision.ALLOWED) {
                throw new StsException("AccessDenied", "Not authorized to perform " + needed);
            }
        }
    }

    /**
     * Evaluates a role's trust policy for a caller outside IAM (an identity provider or a service):
     * only the trust policy and the role account's RCPs apply. RCPs bind AWS services too (AWS's
     * own RCP examples exempt them with {@code aws:PrincipalIsAWSService}).
     */
    private Evaluation federatedTrust(String principal, String action, Role role, RequestContext facts) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        RequestContext context = facts.toBuilder()
                .put("aws:CurrentTime", now.toString())
                .put("aws:EpochTime", Long.toString(now.getEpochSecond()))
                .put("aws:ResourceAccount", role.accountId())
                .build();
        Organization organization = directory.organization();
        List<List<Policy>> rcps = organization == null ? List.of() : organization.rcpLevels(role.accountId());
        PolicySet policies = PolicySet.builder().resourcePolicy(role.trustPolicy()).rcps(rcps).build();
        return evaluator.evaluate(new Request(principal, action, role.arn(), role.accountId(), context), policies);
    }

    private static void put(RequestContext.Builder context, String key, List<String> values) {
        if (values.size() == 1 && !key.toLowerCase(Locale.ROOT).endsWith(":amr")) {
            context.put(key, values.get(0));
        } else {
            context.putMultivalued(key, values);
        }
    }

    private static StsException notAuthorized(String caller, String action, String resource, String because) {
        return new StsException("AccessDenied", "User: " + caller + " is not authorized to perform: " + action
                + " on resource: " + resource + (because == null ? "" : " because " + because));
    }
}
