package dev.gavel.analysis;

import dev.gavel.Action;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.Organization;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.Decision;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.TrustActions;
import dev.gavel.match.Arn;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What a principal may do: every action its policies grant, on the resource patterns they grant it
 * on, after the denies, its permissions boundary and its account's SCPs have had their say, and on
 * the side of each resource its policy and its account's RCPs.
 *
 * <pre>{@code
 * WhatCan whatCan = new WhatCan(engine, ServiceCatalog.locate(null));
 * WhatCanReport report = whatCan.ask("arn:aws:iam::111122223333:user/alice", "s3", null, RequestContext.empty());
 * }</pre>
 *
 * <p>The candidates come from the statements: each Allow statement of the principal's
 * identity-based policies, and each Allow of a resource or trust policy in the directory that
 * names it, gives its actions (expanded with the service catalog) and its resource patterns;
 * where a boundary or SCP allows only a narrower pattern, that pattern is a candidate too. Each
 * (action, pattern) is then decided by the engine with the pattern as the request's resource, so
 * a statement applies when its pattern covers the candidate's; a Deny whose pattern covers only
 * part of it is listed as an exclusion of the entry instead. Like who-can, a candidate whose
 * covering statements read a key whose value is unknown is analysed three-valued and may be
 * {@code conditional}. A pattern whose account is a wildcard is answered for the principal's own
 * account; another account's resources are reached through the policies that name the principal.
 * A role is answered for a session of it with no session policy, its session keys unknown. Fail
 * closed: a pair whose check fails is left out and named in the coverage. Thread-safe.
 */
public final class WhatCan {

    /** The session name that answers for a role: {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/gavel-what-can}. */
    public static final String SESSION_NAME = "gavel-what-can";
    /** The most resource patterns one action is decided on: a guard against pathological policies. */
    private static final int MAX_PATTERNS_PER_ACTION = 256;
    /** The most action lists whose memos are kept: a diff has one per distinct set of changed statements. */
    private static final int MAX_ONLY_MEMOS = 64;
    /** Every role's ARN: for the trust actions, the role's own trust policy must allow. */
    private static final String ROLES = "arn:aws:iam::*:role/*";
    /** Every KMS key's ARN: for KMS's actions, the key's own policy must allow. */
    private static final String KEYS = "arn:aws:kms:*:*:key/*";

    private final Engine engine;
    private final ActionExpansion expansion;
    private volatile Indexed indexed;
    /** Per action list (by identity), what diff's questions with it share. */
    private final Map<List<String>, OnlyMemo> onlyMemos = new IdentityHashMap<>();

    /** The directory's resource and trust policies indexed for one engine snapshot. */
    private record Indexed(long version, NamedIn named) {}

    /** @param catalog the service catalog that expands wildcards in actions, or null to take patterns as written */
    public WhatCan(Engine engine, ServiceCatalog catalog) {
        this.engine = engine;
        this.expansion = new ActionExpansion(catalog);
    }

    /**
     * What the principal may do, with the request facts of {@code context}.
     *
     * @param principalArn a user's ARN, a role's (answered for a session of it), or a role session's
     * @param service only this service's actions (its prefix, such as {@code s3}), or null for all
     * @param resource only what may be done on this resource (an ARN, or a pattern: then the
     *     patterns within it), or null for every resource
     * @throws RequestException naming the field that is wrong: a principal the directory does not
     *     hold, a resource that is neither an ARN nor a pattern of one, a context key that cannot be supplied
     */
    public WhatCanReport ask(String principalArn, String service, String resource, RequestContext context)
            throws RequestException {
        if (resource != null && !resource.equals("*") && !resource.startsWith("arn:")) {
            throw new RequestException("resource", "\"" + resource + "\" is neither an ARN nor *");
        }
        String prefix = service == null ? null : service.toLowerCase(Locale.ROOT);
        Predicate<String> actions = prefix == null ? action -> true
                : action -> action.regionMatches(true, 0, prefix + ":", 0, prefix.length() + 1);
        return askFiltered(principalArn, actions, null, resource, context);
    }

    /**
     * As {@link #ask(String, String, String, RequestContext)}, for the actions the filter accepts;
     * when {@code only} lists them (fewer than the statements grant), those are the only ones
     * considered, which spares expanding every statement's actions.
     */
    WhatCanReport askFiltered(String principalArn, Predicate<String> actions, List<String> only, String resource,
            RequestContext context) throws RequestException {
        RequestContext facts = context == null ? RequestContext.empty() : context;
        CheckContext check = Questions.checkContext(engine, facts);
        while (true) {
            long version = engine.version();
            WhatCanReport report = ask(version, principalArn, actions, only, resource, facts, check);
            if (report != null && engine.version() == version) {
                return report;
            }
        }
    }

    /** The report on one snapshot, or null when the engine swapped snapshots meanwhile. */
    private WhatCanReport ask(long version, String principalArn, Predicate<String> filter, List<String> only,
            String resource, RequestContext facts, CheckContext check) throws RequestException {
        Directory directory = engine.directory();
        Authorizer authorizer = new Authorizer(directory, engine.clock());
        Subject subject = Subject.resolve(engine, directory, authorizer, principalArn);
        if (engine.version() != version) {
            return null;
        }
        Candidates candidates = new Candidates(expansion, filter, only, only == null ? null : onlyMemo(only).covered,
                resource,
                subject.identity().accountId(),
                authorizer.principalFacts(subject.identity()), subject.type() == PrincipalType.ROLE);
        List<Policy> own = new ArrayList<>(authorizer.identityPolicies(subject.identity()));
        candidates.grants(own, PolicyType.IDENTITY);
        NamedIn namedIn = named(version, directory);
        List<NamedIn.Entry> naming = new ArrayList<>(only == null ? namedIn.shared(subject.identity().accountId())
                : sharedCovering(namedIn, subject.identity().accountId(), only));
        naming.addAll(namedIn.naming(subject.arns()));
        for (NamedIn.Entry entry : naming) {
            if (candidates.namedGrant(entry)) {
                own.add(entry.policy());
            }
        }
        Policy boundary = authorizer.permissionsBoundary(subject.identity());
        List<List<Policy>> scps = organizationLevels(directory, subject.identity().accountId());
        List<Policy> limits = new ArrayList<>();
        if (boundary != null) {
            candidates.narrow(List.of(boundary), PolicyType.BOUNDARY, -1);
            limits.add(boundary);
        }
        for (int level = 0; level < scps.size(); level++) {
            candidates.narrow(scps.get(level), PolicyType.SCP, level);
            limits.addAll(scps.get(level));
        }
        candidates.denies(authorizer.identityPolicies(subject.identity()), PolicyType.IDENTITY, -1);
        if (boundary != null) {
            candidates.denies(List.of(boundary), PolicyType.BOUNDARY, -1);
        }
        for (int level = 0; level < scps.size(); level++) {
            candidates.denies(scps.get(level), PolicyType.SCP, level);
        }
        candidates.leftOutByGrants();
        candidates.sparedBy(named(version, directory).sparing());
        if (directory.organization() != null) {
            candidates.sparedBy(List.copyOf(directory.organization().rcps().values()));
        }
        List<KeyReads> reads = new ArrayList<>();
        for (Policy policy : authorizer.identityPolicies(subject.identity())) {
            reads.addAll(KeyReads.of(policy));
        }
        for (Policy policy : limits) {
            reads.addAll(KeyReads.of(policy));
        }
        Roster.Member member = new Roster.Member(subject.type(), subject.displayArn(), subject.user(), subject.role(),
                subject.handle(), reads);
        Decider decider = new Decider(directory, member, subject.identity().accountId(), facts, check, version,
                named(version, directory).denials(), candidates);
        List<Reach> reaches = new ArrayList<>();
        Set<String> undecided = new LinkedHashSet<>();
        int decided = 0;
        for (Candidates.Plan plan : candidates.plans()) {
            if (!candidates.mayBeAllowed(plan)) {
                continue;
            }
            List<Reach> found = new ArrayList<>();
            for (String pattern : plan.patterns(MAX_PATTERNS_PER_ACTION)) {
                decided++;
                Reach reach = decider.decide(plan, pattern, undecided);
                if (decider.swapped) {
                    return null;
                }
                if (reach != null) {
                    found.add(reach);
                }
            }
            reaches.addAll(Candidates.withoutCovered(found, pattern -> {
                String owner = directory.resourceAccount(pattern);
                return owner != null && !owner.equals(subject.identity().accountId()) && !owner.equals("aws");
            }));
        }
        reaches.sort(Comparator.comparing(Reach::service).thenComparing(Reach::accessLevel)
                .thenComparing(Reach::action, String.CASE_INSENSITIVE_ORDER).thenComparing(Reach::resource));
        Set<Policy> applying = Collections.newSetFromMap(new IdentityHashMap<>());
        applying.addAll(own);
        applying.addAll(limits);
        return new WhatCanReport(subject.displayArn(), subject.type(), version, reaches,
                new WhatCanReport.Coverage(applying.size(), candidates.plans().size(), decided,
                        candidates.unexpanded(), candidates.unwritten(), List.copyOf(undecided)));
    }

    /**
     * The memo of what each statement covers of an action list, kept for the last few lists asked
     * with: diff asks every principal whose answers a change may affect with one of a few lists.
     */
    private OnlyMemo onlyMemo(List<String> only) {
        synchronized (onlyMemos) {
            if (onlyMemos.size() > MAX_ONLY_MEMOS && !onlyMemos.containsKey(only)) {
                onlyMemos.clear();
            }
            return onlyMemos.computeIfAbsent(only, list -> new OnlyMemo(Collections.synchronizedMap(
                    new IdentityHashMap<>()), new ConcurrentHashMap<>()));
        }
    }

    /**
     * The statements an account's principals share (naming everyone or the account) that cover an
     * action of the list: an account's roles may all trust it, and diff asks every principal.
     */
    private List<NamedIn.Entry> sharedCovering(NamedIn namedIn, String accountId, List<String> only) {
        return onlyMemo(only).shared.computeIfAbsent(accountId, account -> namedIn.shared(account).stream()
                .filter(entry -> entry.statement().action() != null && only.stream()
                        .anyMatch(action -> ResourceSide.covers(entry.statement().action(), action)))
                .toList());
    }

    private record OnlyMemo(Map<Statement, List<String>> covered, Map<String, List<NamedIn.Entry>> shared) {}

    private NamedIn named(long version, Directory directory) {
        Indexed current = indexed;
        if (current == null || current.version != version) {
            current = new Indexed(version, NamedIn.of(directory));
            indexed = current;
        }
        return current.named;
    }

    private static List<List<Policy>> organizationLevels(Directory directory, String accountId) {
        Organization organization = directory.organization();
        return organization == null ? List.of() : organization.scpLevels(accountId);
    }

    /** The principal asked about: what entries show, and the session or user the engine decides for. */
    private record Subject(PrincipalType type, String displayArn, User user, Role role, Principal handle,
            Identity identity, List<String> arns) {

        static Subject resolve(Engine engine, Directory directory, Authorizer authorizer, String principalArn)
                throws RequestException {
            // A role is answered for a session of it; the Authorizer refuses a bad ARN or an unknown user.
            String sessionArn = principalArn;
            Arn arn = Arn.parse(principalArn);
            if (arn != null && arn.service().equals("iam") && arn.resource().startsWith("role/")) {
                Role role = directory.role(principalArn);
                if (role == null) {
                    throw new RequestException("principal", "no role " + principalArn + " in the directory");
                }
                sessionArn = "arn:" + arn.partition() + ":sts::" + arn.account() + ":assumed-role/" + role.name()
                        + "/" + SESSION_NAME;
            }
            Identity identity = authorizer.identity(sessionArn);
            if (identity instanceof Identity.UserIdentity user) {
                return new Subject(PrincipalType.USER, principalArn, user.user(), null, engine.principal(principalArn),
                        identity, List.of(principalArn));
            }
            if (!(identity instanceof Identity.RoleSessionIdentity session)) {
                throw new RequestException("principal", "\"" + principalArn + "\" is neither a user, a role nor a "
                        + "role session");
            }
            return new Subject(PrincipalType.ROLE, principalArn, null, session.role(), engine.principal(sessionArn),
                    identity, List.of(sessionArn, NamedIn.roleKey(session.role().arn())));
        }
    }

    /** Decides candidates for one principal on one snapshot. */
    private final class Decider {
        private final Directory directory;
        private final Roster.Member member;
        private final String ownAccount;
        private final RequestContext facts;
        private final CheckContext check;
        private final long version;
        private final List<NamedIn.Entry> denials;
        private final Candidates candidates;
        boolean swapped;

        Decider(Directory directory, Roster.Member member, String ownAccount, RequestContext facts,
                CheckContext check, long version, List<NamedIn.Entry> denials, Candidates candidates) {
            this.denials = denials;
            this.candidates = candidates;
            this.directory = directory;
            this.member = member;
            this.ownAccount = ownAccount;
            this.facts = facts;
            this.check = check;
            this.version = version;
        }

        private List<Reach.Excluded> excluded(Candidates.Plan plan, String pattern, List<Candidates.Grantor> sideDenies,
                Policy sidePolicy, boolean byPart) {
            List<Reach.Excluded> all = new ArrayList<>(plan.excluded(pattern, sideDenies, byPart));
            all.addAll(Candidates.otherResources(plan.action(), pattern, sidePolicy, denials));
            String own = ownPolicyDecides(plan.action());
            if (own != null && !pattern.equals(own) && Globs.intersects(own, pattern)
                    && ResourceSide.policy(directory, plan.action(), pattern) == null) {
                String part = Globs.intersection(own, pattern);
                all.add(new Reach.Excluded(part != null ? part : pattern + " ∩ " + own, null, false,
                        own.equals(ROLES) ? "a role is assumed only as its trust policy allows: the roles that trust "
                                + "the principal are entries of their own"
                                : "a KMS key is used only as its key policy allows: the keys whose policies name "
                                        + "the principal are entries of their own"));
            }
            return all;
        }

        /**
         * Notes a pattern denied by a statement naming this very text ("bucket/${*}"), which says
         * nothing of the rest of the pattern: that is left undecided, and the coverage says so.
         */
        private void deniedByText(Candidates.Plan plan, String pattern, List<MatchedStatement> deciding,
                List<Candidates.Grantor> sideDenies) {
            List<MatchedStatement> textDenies = plan.textDenies(pattern, sideDenies);
            if (deciding.stream().anyMatch(denied -> among(denied, textDenies))) {
                candidates.unwritten(plan.action() + " on " + pattern + " (denied by a statement that names the "
                        + "pattern's own text)");
            }
        }

        /**
         * Notes a pattern not allowed where a NotResource Allow names this very text (leaving out
         * "bucket/${*}" leaves out the pattern "bucket/*" as text, not what it stands for).
         */
        private void notAllowedByText(Candidates.Plan plan, String pattern) {
            if (plan.leavesOutText(pattern)) {
                candidates.unwritten(plan.action() + " on " + pattern + " (not allowed by a NotResource statement "
                        + "that names the pattern's own text)");
            }
        }

        /** The entry for the action on the pattern, or null when it is never allowed. */
        Reach decide(Candidates.Plan plan, String pattern, Set<String> undecided) {
            Action action = engine.action(plan.action());
            Answer answer = member.handle().check(action, pattern, check);
            if (answer.version() != version) {
                swapped = true;
                return null;
            }
            if (answer.failed()) {
                undecided.add(plan.action() + " on " + pattern);
                return null;
            }
            String sideAccount = directory.resourceAccount(pattern);
            Policy resourcePolicy = ResourceSide.policy(directory, plan.action(), pattern);
            String account = sideAccount == null ? ownAccount : sideAccount;
            List<Policy> side = ResourceSide.policies(directory, resourcePolicy, account);
            List<Candidates.Grantor> sideDenies = candidates.sideDenies(plan.action(), resourcePolicy,
                    TrustActions.contains(plan.action()) ? PolicyType.TRUST : PolicyType.RESOURCE,
                    ResourceSide.rcpLevels(directory, account));
            AccessLevel level = AccessLevel.of(plan.action());
            if (new UnknownReads(plan.action(), pattern, facts).anyFor(member, true, side)) {
                ConditionalEvaluation evaluation;
                try {
                    evaluation = engine.analyse(member.handle(), plan.action(), pattern, facts,
                            WhoCan.knowledge(member.type()), null);
                } catch (RequestException gone) {
                    swapped = true;
                    return null;
                }
                Verdict verdict = Verdict.of(evaluation.verdict());
                if (verdict == null) {
                    if (answer.allowed()) {
                        undecided.add(plan.action() + " on " + pattern);
                    } else {
                        deniedByText(plan, pattern, evaluation.explanation().statements(), sideDenies);
                        notAllowedByText(plan, pattern);
                    }
                    return null;
                }
                List<MatchedStatement> explaining = evaluation.explanation().statements();
                Granting granting = Granting.of(plan, pattern, explaining);
                if (verdict == Verdict.ALLOWED && plan.mayMatchText() && !granting.confirmed()) {
                    // Allowed only by a statement matching this very text: not what the pattern stands for.
                    return null;
                }
                List<MatchedStatement> statements = new ArrayList<>(granting.statements());
                explaining.stream().filter(s -> !statements.contains(s)).forEach(statements::add);
                return new Reach(plan.action(), level, pattern, verdict,
                        verdict == Verdict.CONDITIONAL ? evaluation.allowedWhen() : null, statements,
                        excluded(plan, pattern, sideDenies, resourcePolicy, granting.byPart()));
            }
            if (!answer.allowed()) {
                notAllowedByText(plan, pattern);
                if (!plan.textDenies(pattern, sideDenies).isEmpty() && !plan.grantors(pattern).isEmpty()) {
                    Answer explained = member.handle().explain(action, pattern, check);
                    if (explained.decision() == Decision.EXPLICIT_DENY) {
                        deniedByText(plan, pattern, explained.explanation().statements(), sideDenies);
                    }
                }
                return null;
            }
            Granting granting;
            if (plan.mayMatchText() || plan.mayRestOnPart(pattern)) {
                // Keep only the statements that did allow, by the engine's explanation.
                Answer explained = member.handle().explain(action, pattern, check);
                granting = Granting.of(plan, pattern, explained.explanation().statements());
                if (plan.mayMatchText() && !granting.confirmed()) {
                    // Allowed only by a statement that names this very text ("bucket/${*}" names a
                    // key spelt with a star): not what the pattern stands for.
                    return null;
                }
            } else {
                List<MatchedStatement> covering = plan.covering(pattern);
                granting = covering.isEmpty() ? new Granting(plan.partial(pattern), true, true)
                        : new Granting(covering, false, true);
            }
            if (granting.statements().isEmpty()) {
                return null;
            }
            return new Reach(plan.action(), level, pattern, Verdict.ALLOWED, null, granting.statements(),
                    excluded(plan, pattern, sideDenies, resourcePolicy, granting.byPart()));
        }
    }

    /**
     * The statements an entry is granted by: those covering its whole pattern, or failing them
     * NotResource statements granting part of it ({@code byPart}: what they leave out is then
     * excluded); {@code confirmed} when the engine's explanation names them.
     */
    private record Granting(List<MatchedStatement> statements, boolean byPart, boolean confirmed) {

        /** The grantors among the statements the engine explains its answer with. */
        static Granting of(Candidates.Plan plan, String pattern, List<MatchedStatement> explaining) {
            List<MatchedStatement> covering = plan.covering(pattern);
            List<MatchedStatement> confirmed = covering.stream().filter(s -> among(s, explaining)).toList();
            if (!confirmed.isEmpty()) {
                return new Granting(confirmed, false, true);
            }
            List<MatchedStatement> partial = plan.partial(pattern);
            List<MatchedStatement> partialConfirmed = partial.stream().filter(s -> among(s, explaining)).toList();
            if (!partialConfirmed.isEmpty()) {
                return new Granting(partialConfirmed, true, true);
            }
            // The explanation names neither (a resource's policy allowed on its own): keep every
            // grantor, and exclude what a NotResource one leaves out, which may be refused.
            return covering.isEmpty() ? new Granting(partial, true, false)
                    : new Granting(covering, !partial.isEmpty(), false);
        }
    }

    /** Whether the same statement is in the list, whatever type it gives the policy (a trust policy's: resource). */
    private static boolean among(MatchedStatement statement, List<MatchedStatement> statements) {
        for (MatchedStatement other : statements) {
            if (other.policy().equals(statement.policy()) && other.statement().equals(statement.statement())
                    && other.location().equals(statement.location())) {
                return true;
            }
        }
        return false;
    }

    /** The resources whose own policy must allow the action even within one account, or null. */
    private static String ownPolicyDecides(String action) {
        if (TrustActions.contains(action)) {
            return ROLES;
        }
        return action.regionMatches(true, 0, "kms:", 0, 4) ? KEYS : null;
    }

    /** Whether an element lists a pattern covering the whole resource pattern, or (negated) none touching it. */
    static boolean coversAll(PatternElement element, String pattern) {
        if (element == null) {
            return true;
        }
        if (element.negated()) {
            return element.patterns().stream().noneMatch(p -> Globs.intersects(p.value(), pattern));
        }
        return element.patterns().stream().anyMatch(p -> Globs.contains(p.value(), pattern));
    }

    /** Whether the statement is an Allow or Deny covering the action. */
    static boolean covers(Statement statement, Effect effect, String action) {
        return statement.effect() == effect && ResourceSide.covers(statement.action(), action);
    }

    static MatchedStatement matched(Statement statement, Policy policy, PolicyType type, int level) {
        return new MatchedStatement(type, level, policy.source(), statement.label(), statement.effect(),
                statement.location());
    }
}
