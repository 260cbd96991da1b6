package dev.gavel.analysis;

import dev.gavel.Action;
import dev.gavel.Answer;
import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.Decision;
import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import dev.gavel.match.Arn;
import dev.gavel.policy.Policy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may perform an action on a resource: every principal of the engine's directory that may
 * (users, and roles as a session of theirs), and the outside principals the resource's policy or
 * the role's trust policy names.
 *
 * <pre>{@code
 * WhoCan whoCan = new WhoCan(engine);                 // keep it: it prepares the principals once
 * WhoCanReport report = whoCan.ask(List.of("s3:GetObject"),
 *         "arn:aws:s3:::example-payments-data/orders/1.csv", context);
 * }</pre>
 *
 * <p>Each principal is decided with its prepared compiled check. A principal whose SCPs have no
 * Allow statement for the action cannot be allowed; nor, when the resource's policy (or the
 * role's trust policy) has none either, can one whose identity-based policies or permissions
 * boundary have none. Which principals are left is worked out once per action and snapshot, as a
 * bitset ({@link ActionIndex}), and only those are checked: for most questions, the few whose
 * policies name the action. A principal with a statement covering the action that reads a key
 * whose value is unknown (one the question does not give; for a role, also one that differs
 * between its sessions: see {@link #knowledge}) is then analysed three-valued with
 * {@code Engine.analyse}, and listed as {@code allowed} or {@code conditional} with the condition
 * on those keys, or left out; the compiled check took such keys as absent, which is one case of
 * several. The others are exact from the compiled check, and only those allowed are explained. A
 * role thus stands for any session of it with no session policy. The prepared principals are kept
 * until the engine's snapshot changes. Fail closed: a principal whose check fails, or whose
 * compiled check and analysis disagree, is never listed, and the coverage names it. Thread-safe.
 */
public final class WhoCan {

    /**
     * The name of the session that the compiled check decides for each role:
     * {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/gavel-who-can}.
     */
    public static final String SESSION_NAME = "gavel-who-can";
    /**
     * The longest chain of roles {@link #ask(List, String, RequestContext, int)} follows: AWS's role
     * chaining has no limit, questions do.
     */
    public static final int MAX_STEPS = 5;

    private final Engine engine;
    private volatile Roster roster;

    public WhoCan(Engine engine) {
        this.engine = engine;
    }

    /**
     * Who may perform each action on the resource, with the request facts of {@code context}
     * (keys Gavel fills from the principal, the resource or the clock are refused).
     *
     * @throws RequestException naming the field that is wrong: an action that is not
     *     {@code service:Action}, a resource that is neither an ARN nor {@code *}, a context key
     *     that cannot be supplied
     */
    public WhoCanReport ask(List<String> actions, String resource, RequestContext context) throws RequestException {
        return ask(actions, resource, context, 0);
    }

    /**
     * As {@link #ask(List, String, RequestContext)}, and also the principals that reach the action
     * by assuming roles ({@code sts:AssumeRole}, with the same request facts), up to
     * {@code maxSteps} roles in a row, from 0 (none) to {@value #MAX_STEPS}: each listed after the
     * principals that may perform it themselves, with the roles it goes through, at its shortest
     * chain. A chain one of whose steps is conditional (an assumption, or the last role's request)
     * is {@code conditional} on the AND of its steps' conditions; of the chains of one length, an
     * allowed one is listed when there is one.
     */
    public WhoCanReport ask(List<String> actions, String resource, RequestContext context, int maxSteps)
            throws RequestException {
        if (maxSteps < 0 || maxSteps > MAX_STEPS) {
            throw new RequestException("transitive", "the longest chain of roles followed is " + MAX_STEPS
                    + ", not " + maxSteps);
        }
        RequestContext facts = context == null ? RequestContext.empty() : context;
        validate(actions, resource);
        while (true) {
            Roster current = roster();
            WhoCanReport report = ask(current, actions, resource, facts, maxSteps);
            if (report != null) {
                return report;
            }
        }
    }

    private static void validate(List<String> actions, String resource) throws RequestException {
        if (actions.isEmpty()) {
            throw new RequestException("action", "no action to ask about");
        }
        for (String action : actions) {
            int colon = action.indexOf(':');
            if (colon <= 0 || colon == action.length() - 1 || action.indexOf(':', colon + 1) >= 0) {
                throw new RequestException("action", "\"" + action + "\" is not service:Action");
            }
        }
        if (!resource.equals("*") && Arn.parse(resource) == null) {
            throw new RequestException("resource", "\"" + resource + "\" is neither an ARN nor *");
        }
    }

    private Roster roster() {
        Roster current = roster;
        if (current == null || current.version != engine.version()) {
            current = Roster.of(engine);
            roster = current;
        }
        return current;
    }

    /** The report on one roster, or null when the engine swapped snapshots meanwhile. */
    private WhoCanReport ask(Roster roster, List<String> actions, String resource, RequestContext facts,
            int maxSteps) throws RequestException {
        CheckContext check = Questions.checkContext(engine, facts);
        OutsidePrincipals outside = new OutsidePrincipals(roster.directory, new Authorizer(roster.directory,
                engine.clock()));
        Set<String> notHeld = new LinkedHashSet<>();
        Set<String> undecided = new LinkedHashSet<>();
        String resourceAccount = roster.directory.resourceAccount(resource);
        if (resourceAccount != null && roster.directory.account(resourceAccount) == null
                && !resourceAccount.equals("aws")) {
            notHeld.add("account " + resourceAccount + " (owns the resource: its RCPs and resource policies are "
                    + "unknown)");
        }
        List<ActionAnswer> answers = new ArrayList<>();
        for (String name : actions) {
            List<Grant> grants = principals(roster, engine.action(name), resource, resourceAccount, facts, check,
                    undecided);
            if (grants == null || maxSteps > 0 && !chained(roster, grants, maxSteps, facts, check, undecided)) {
                return null;
            }
            OutsidePrincipals.Found found = outside.find(name, resource, facts);
            notHeld.addAll(found.notHeld());
            answers.add(new ActionAnswer(name, grants, found.grants()));
        }
        if (engine.version() != roster.version) {
            return null;
        }
        return new WhoCanReport(resource, roster.version, answers, new Coverage(roster.accounts, roster.users,
                roster.roles, List.copyOf(notHeld), List.copyOf(undecided)));
    }

    /**
     * The roster's principals allowed the action on the resource, or allowed under a condition on
     * unknown keys, in roster order; those whose check failed go to {@code undecided}. Null when
     * the engine swapped snapshots meanwhile.
     */
    private List<Grant> principals(Roster roster, Action action, String resource, String resourceAccount,
            RequestContext facts, CheckContext check, Set<String> undecided) {
        Policy resourcePolicy = ResourceSide.policy(roster.directory, action.name(), resource);
        // Without a grant on the resource's side, only principals whose own policies allow the action can be allowed.
        boolean everyone = ResourceSide.mayGrant(resourcePolicy, action.name());
        Map<String, List<Policy>> resourceSides = new HashMap<>();
        UnknownReads unknownReads = new UnknownReads(action.name(), resource, facts);
        ActionIndex.Members concerned = roster.index.of(action);
        if (concerned == null) {
            return null;
        }
        BitSet candidates = everyone ? concerned.notBlocked() : concerned.open();
        List<Grant> grants = new ArrayList<>();
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            Roster.Member member = roster.members[i];
            Answer answer = member.handle().check(action, resource, check);
            if (answer.version() != roster.version) {
                return null;
            }
            if (answer.failed()) {
                undecided.add(member.arn());
                continue;
            }
            String sideAccount = resourceAccount != null ? resourceAccount
                    : member.role() != null ? member.role().accountId()
                    : member.user().accountId();
            List<Policy> resourceSide = resourceSides.computeIfAbsent(sideAccount,
                    account -> ResourceSide.policies(roster.directory, resourcePolicy, account));
            if (unknownReads.anyFor(member, concerned.readsKeys().get(i), resourceSide)) {
                // Some statement covering the action reads a key not known: the compiled answer, which
                // takes such keys as absent, is one case of several.
                Grant grant = analysed(member, action, resource, facts, answer.allowed(), resourceSide, roster,
                        undecided);
                if (grant != null) {
                    grants.add(grant);
                }
                continue;
            }
            if (!answer.allowed()) {
                continue;
            }
            Answer explained = member.handle().explain(action, resource, check);
            if (explained.version() != roster.version) {
                return null;
            }
            if (explained.decision() != Decision.ALLOWED) {
                // The engine's two paths disagree (a condition on the clock's second, say): fail closed.
                undecided.add(member.arn());
                continue;
            }
            grants.add(grant(roster.directory, member, action, Verdict.ALLOWED, explained.explanation()
                    .statements(), resourceSide, null));
        }
        return grants;
    }

    /**
     * The entry of a principal analysed three-valued, or null when it is never allowed. One the
     * compiled check allowed but the analysis does not (the paths disagree) goes to {@code undecided}.
     */
    private Grant analysed(Roster.Member member, Action action, String resource, RequestContext facts,
            boolean compiledAllowed, List<Policy> resourceSide, Roster roster, Set<String> undecided) {
        ConditionalEvaluation evaluation;
        try {
            evaluation = engine.analyse(member.handle(), action.name(), resource, facts, knowledge(member.type()),
                    null);
        } catch (RequestException gone) {
            // The principal left the directory: only a reload does that, and the report is then discarded.
            undecided.add(member.arn());
            return null;
        }
        Verdict verdict = Verdict.of(evaluation.verdict());
        if (verdict == null) {
            if (compiledAllowed) {
                undecided.add(member.arn());
            }
            return null;
        }
        return grant(roster.directory, member, action, verdict, evaluation.explanation().statements(), resourceSide,
                verdict == Verdict.CONDITIONAL ? evaluation.allowedWhen() : null);
    }

    /**
     * What who-can takes as unknown when it analyses a principal of this type: every key the
     * question does not give, and for a role (any session of it) the keys that differ between
     * sessions, {@link Authorizer#SESSION_KEY_PATTERNS}. As {@code Engine.analyse} takes it.
     */
    public static KeyKnowledge knowledge(PrincipalType type) {
        return type == PrincipalType.ROLE ? KeyKnowledge.unknownContext().withUnknown(Authorizer.SESSION_KEY_PATTERNS)
                : KeyKnowledge.unknownContext();
    }

    /**
     * Adds to {@code grants} the principals that may assume a listed role, step by step up to
     * {@code maxSteps} roles in a row, allowed or under a condition; each principal once, at its
     * shortest chain, and of the chains of that length an allowed one when there is one. False
     * when the engine swapped snapshots meanwhile.
     */
    private boolean chained(Roster roster, List<Grant> grants, int maxSteps, RequestContext facts,
            CheckContext check, Set<String> undecided) {
        Action assumeRole = engine.action("sts:AssumeRole");
        Set<String> listed = new HashSet<>();
        grants.forEach(grant -> listed.add(grant.arn()));
        List<Grant> reached = grants.stream().filter(grant -> grant.type() == PrincipalType.ROLE).toList();
        for (int step = 1; step <= maxSteps && !reached.isEmpty(); step++) {
            Map<String, Grant> chains = new LinkedHashMap<>();
            Set<String> contradicted = new LinkedHashSet<>();
            for (Grant role : reached) {
                String roleAccount = roster.directory.role(role.arn()).accountId();
                List<Grant> assumers = principals(roster, assumeRole, role.arn(), roleAccount, facts, check,
                        undecided);
                if (assumers == null) {
                    return false;
                }
                for (Grant assumer : assumers) {
                    if (listed.contains(assumer.arn())) {
                        continue;
                    }
                    Grant chain = Grant.through(assumer, role);
                    if (chain == null) {
                        contradicted.add(assumer.arn());
                        continue;
                    }
                    chains.merge(assumer.arn(), chain, (first, other) -> first.verdict() == Verdict.CONDITIONAL
                            && other.verdict() == Verdict.ALLOWED ? other : first);
                }
            }
            // Each step is a request of its own, so a condition and its negation on two steps need not clash; the
            // AND of them reads as one request would, so such a chain is not listed, and the coverage says so.
            contradicted.stream().filter(arn -> !chains.containsKey(arn)).forEach(undecided::add);
            grants.addAll(chains.values());
            listed.addAll(chains.keySet());
            reached = chains.values().stream().filter(grant -> grant.type() == PrincipalType.ROLE).toList();
        }
        return true;
    }

    /** The entry of a principal: why, and for a role what other sessions could change. */
    private static Grant grant(Directory directory, Roster.Member member, Action action, Verdict verdict,
            List<MatchedStatement> statements, List<Policy> resourceSide, Residual condition) {
        List<String> sessionKeys = member.role() == null || verdict == Verdict.ALLOWED ? List.of()
                : SessionKeys.read(directory, member.role(), resourceSide, action.name());
        return Grant.direct(member.type(), member.arn(), verdict, statements, sessionKeys, condition);
    }
}
