package dev.gavel.analysis;

import dev.gavel.analysis.Reach.Excluded;
import dev.gavel.directory.Authorizer;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.ReservedResources;
import dev.gavel.match.Arn;
import dev.gavel.match.Wildcard;
import dev.gavel.policy.Effect;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyVersion;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The (action, resource pattern) pairs what-can decides for one principal, and for each action the
 * statements that grant it and the Deny statements that may take part of a pattern away. Built
 * from the principal's policies in order: grants, then narrowing by the boundary and SCP levels,
 * then denies. Not thread-safe.
 */
final class Candidates {

    /**
     * An Allow or Deny statement covering an action: where it is, and its resource patterns with
     * the principal's variables put in ({@code patterns} null for a trust policy's statement, which
     * covers only the role it is attached to, {@code attachedTo}; {@code negated} for NotResource;
     * {@code conditional} when it has conditions).
     */
    record Grantor(MatchedStatement at, boolean negated, List<String> patterns, String attachedTo,
            boolean conditional) {

        boolean coversAll(String pattern) {
            if (patterns == null) {
                return pattern.equals(attachedTo);
            }
            boolean covered = negated ? patterns.stream().noneMatch(p -> Globs.intersects(p, pattern))
                    : patterns.stream().anyMatch(p -> Globs.contains(p, pattern));
            return covered
                    && (attachedTo == null || Globs.contains(attachedTo, pattern) || pattern.startsWith(attachedTo));
        }
    }

    /** One action's candidate patterns, grants and denies. */
    static final class Plan {
        private final String action;
        private final Set<String> patterns = new LinkedHashSet<>();
        private final List<Grantor> grantors = new ArrayList<>();
        private final List<Grantor> denies = new ArrayList<>();
        /** Each limit (the boundary, each SCP level) by name, with its Allow statements covering the action. */
        private final Map<String, List<Grantor>> limits = new LinkedHashMap<>();
        /** What NotResource grantors leave out by naming a pattern's text, read as wildcards; made when first asked. */
        private List<String> textualNotResources;

        Plan(String action) {
            this.action = action;
        }

        String action() {
            return action;
        }

        /** Whether a policy naming the principal (a resource's or a role's trust policy) grants the action. */
        private boolean named() {
            return grantors.stream().anyMatch(grantor -> grantor.attachedTo() != null);
        }

        /** The patterns to decide, at most {@code max} of them. */
        List<String> patterns(int max) {
            return patterns.stream().limit(max).toList();
        }

        /**
         * The Allow statements that grant the action on the whole pattern; failing those, the
         * NotResource statements that grant part of it (their listed patterns are then excluded).
         */
        List<MatchedStatement> grantors(String pattern) {
            List<MatchedStatement> found = covering(pattern);
            if (found.isEmpty()) {
                partialGrantors(pattern).forEach(grantor -> found.add(grantor.at()));
            }
            return found;
        }

        /** The Allow statements that grant the action on the whole pattern. */
        List<MatchedStatement> covering(String pattern) {
            List<MatchedStatement> found = new ArrayList<>();
            for (Grantor grantor : grantors) {
                if (grantor.coversAll(pattern) && !found.contains(grantor.at())) {
                    found.add(grantor.at());
                }
            }
            return found;
        }

        /** The NotResource Allow statements that grant the action on part of the pattern. */
        List<MatchedStatement> partial(String pattern) {
            return partialGrantors(pattern).stream().map(Grantor::at).distinct().toList();
        }

        /**
         * Whether the engine's allowing the pattern may rest on a NotResource statement that grants
         * only part of it even though a statement covers all of it: every covering statement has
         * conditions, which may not hold. Then only the explanation tells which statement allowed.
         */
        boolean mayRestOnPart(String pattern) {
            boolean covered = false;
            for (Grantor grantor : grantors) {
                if (grantor.coversAll(pattern)) {
                    if (!grantor.conditional()) {
                        return false;
                    }
                    covered = true;
                }
            }
            return covered && !partialGrantors(pattern).isEmpty();
        }

        /**
         * Whether a statement granting the action may match the pattern's text without covering
         * what it stands for: a {@code ?} matches the pattern's {@code *} as one character, and
         * {@code ${*}} is a literal star.
         */
        boolean mayMatchText() {
            for (Grantor grantor : grantors) {
                if (grantor.patterns() != null && grantor.patterns().stream()
                        .anyMatch(p -> p.indexOf('?') >= 0 || p.contains("${"))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The Deny statements whose patterns may match the pattern's text without covering what
         * it stands for ({@code ?}, or a variable such as {@code ${*}}), and do not cover it: the
         * principal's, and those of the resource's side.
         */
        List<MatchedStatement> textDenies(String pattern, List<Grantor> sideDenies) {
            List<MatchedStatement> found = new ArrayList<>();
            List<Grantor> all = new ArrayList<>(denies);
            all.addAll(sideDenies);
            for (Grantor deny : all) {
                if (deny.patterns() != null && !deny.negated() && deny.patterns().stream()
                        .anyMatch(p -> (p.indexOf('?') >= 0 || p.contains("${")) && !Globs.contains(p, pattern))) {
                    found.add(deny.at());
                }
            }
            return found;
        }

        /**
         * Whether a NotResource Allow leaves out a pattern that may match the pattern's text
         * without covering what it stands for ({@code ?}, or {@code ${*}}).
         */
        boolean leavesOutText(String pattern) {
            if (textualNotResources == null) {
                // Grantors are all added before any pattern is decided.
                textualNotResources = new ArrayList<>();
                for (Grantor grantor : grantors) {
                    if (grantor.negated() && grantor.patterns() != null) {
                        grantor.patterns().stream().filter(Plan::textual).map(Plan::literalStars)
                                .forEach(textualNotResources::add);
                    }
                }
            }
            for (String leftOut : textualNotResources) {
                if (Globs.intersects(leftOut, pattern)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean textual(String pattern) {
            return pattern.indexOf('?') >= 0 || pattern.contains("${");
        }

        /** The pattern with {@code ${*}} and {@code ${?}} read as the wildcards whose text they name. */
        private static String literalStars(String pattern) {
            return pattern.replace("${*}", "*").replace("${?}", "?");
        }

        private List<Grantor> partialGrantors(String pattern) {
            List<Grantor> partial = new ArrayList<>();
            for (Grantor grantor : grantors) {
                if (grantor.patterns() != null && grantor.negated()
                        && grantor.patterns().stream().noneMatch(p -> Wildcard.matches(p, pattern, false))) {
                    partial.add(grantor);
                }
            }
            return partial;
        }

        /**
         * The Deny statements (the principal's, and those of the resource's side) whose resource
         * patterns take part of the pattern away without covering all of it.
         */
        List<Excluded> excluded(String pattern, List<Grantor> sideDenies, boolean byPart) {
            List<Excluded> found = new ArrayList<>();
            limits.forEach((limit, allows) -> {
                if (allows.stream().noneMatch(allow -> allow.coversAll(pattern))) {
                    found.add(new Excluded(pattern, null, false, "the " + limit + " allows only part of it: "
                            + allows.stream().map(allow -> allow.at().describe()).toList()));
                } else if (allows.stream().noneMatch(allow -> allow.coversAll(pattern) && !allow.conditional())) {
                    // The covering statements' conditions may not hold, and a NotResource one may be
                    // what lets the request through: what it leaves out is then refused.
                    for (Grantor allow : allows) {
                        if (allow.negated() && allow.patterns() != null && !allow.coversAll(pattern)) {
                            for (String listed : allow.patterns()) {
                                if (Globs.intersects(listed, pattern)) {
                                    found.add(new Excluded(within(pattern, listed), allow.at(), true, null));
                                }
                            }
                        }
                    }
                }
            });
            exclude(denies, pattern, found);
            exclude(sideDenies, pattern, found);
            for (String reserved : ReservedResources.refusedPatterns(action)) {
                if (Globs.intersects(reserved, pattern)) {
                    found.add(new Excluded(within(pattern, reserved), null, false, "AWS reserves these resources: "
                            + "no policy allows " + action + " on them"));
                }
            }
            if (byPart) {
                for (Grantor grantor : partialGrantors(pattern)) {
                    for (String listed : grantor.patterns()) {
                        if (Globs.intersects(listed, pattern)) {
                            found.add(new Excluded(within(pattern, listed), grantor.at(), false, null));
                        }
                    }
                }
            }
            return found;
        }

        private static void exclude(List<Grantor> denies, String pattern, List<Excluded> found) {
            for (Grantor deny : denies) {
                if (deny.patterns() == null) {
                    continue;
                }
                List<String> listed = deny.patterns();
                if (deny.negated()) {
                    // A NotResource Deny denies whatever lies outside its patterns: unless one of them
                    // holds the whole pattern, some part of it is denied.
                    if (listed.stream().noneMatch(spared -> Globs.contains(spared, pattern))) {
                        found.add(new Excluded("all but " + String.join(", ", listed), deny.at(), deny.conditional(),
                                null));
                    }
                    continue;
                }
                for (String denied : listed) {
                    if (Globs.intersects(denied, pattern) && !Globs.contains(denied, pattern)) {
                        found.add(new Excluded(within(pattern, denied), deny.at(), deny.conditional(), null));
                    }
                }
            }
        }

        /** The part of a pattern another pattern matches: that pattern when it lies within, else both. */
        static String within(String pattern, String listed) {
            return Globs.contains(pattern, listed) ? listed : pattern + " ∩ " + listed;
        }
    }

    private final ActionExpansion expansion;
    private final Predicate<String> filter;
    private final List<String> only;
    /** The actions of {@code only} each statement covers, shared by the principals asked with the same list. */
    private final Map<Statement, List<String>> onlyCovered;
    private final String scope;
    private final String ownAccount;
    private final RequestContext principalFacts;
    private final boolean sessionsDiffer;
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private final Map<String, List<Plan>> byService = new HashMap<>();
    private final Set<String> unexpanded = new LinkedHashSet<>();
    private final Set<String> unwritten = new LinkedHashSet<>();
    /** The limits narrowed by, by name; true for an SCP level, false for the boundary. */
    private final Map<String, Boolean> layers = new LinkedHashMap<>();
    /** What {@link #substitute} gives for a pattern whose variable has no value: it matches no resource. */
    private static final String NO_MATCH = "";

    /**
     * @param filter the actions asked about
     * @param only when not null, every action asked about: statements are matched against these
     *     rather than expanded
     * @param onlyCovered what each statement covers of {@code only}, kept by statement identity and
     *     shared between principals asked with the same list (the filter must agree)
     * @param scope the resource the question is limited to, or null
     * @param principalFacts the principal's own keys, for the policy variables of resource patterns
     * @param sessionsDiffer whether the principal stands for any session of a role, whose session
     *     keys are then unknown
     */
    Candidates(ActionExpansion expansion, Predicate<String> filter, List<String> only,
            Map<Statement, List<String>> onlyCovered, String scope, String ownAccount, RequestContext principalFacts,
            boolean sessionsDiffer) {
        this.only = only;
        this.onlyCovered = onlyCovered;
        this.sessionsDiffer = sessionsDiffer;
        this.expansion = expansion;
        this.filter = filter;
        this.scope = scope;
        this.ownAccount = ownAccount;
        this.principalFacts = principalFacts;
    }

    List<Plan> plans() {
        return List.copyOf(plans.values());
    }

    /**
     * Whether the limits leave the action possible at all: every SCP level has an Allow statement
     * covering it, and so does the boundary unless a policy naming the principal grants it (a
     * resource's policy that names a user is not held to the user's boundary). An action some
     * limit does not cover is denied on every resource, and need not be decided.
     */
    boolean mayBeAllowed(Plan plan) {
        for (Map.Entry<String, Boolean> layer : layers.entrySet()) {
            if (!plan.limits.containsKey(layer.getKey()) && (layer.getValue() || !plan.named())) {
                return false;
            }
        }
        return true;
    }

    List<String> unexpanded() {
        return List.copyOf(unexpanded);
    }

    /**
     * Where a limit allows part of a granted pattern that no single pattern can write (such as
     * {@code arn:aws:s3:::a*} within {@code arn:aws:s3:::*z}): that part is not decided.
     */
    List<String> unwritten() {
        return List.copyOf(unwritten);
    }

    /** Records a part that could not be decided, as {@link #unwritten()} lists it. */
    void unwritten(String part) {
        unwritten.add(part);
    }

    /** Adds the Allow statements of policies that apply to the principal itself. */
    void grants(List<Policy> policies, PolicyType type) {
        for (Policy policy : policies) {
            for (Statement statement : policy.statements()) {
                if (statement.effect() != Effect.ALLOW || statement.action() == null) {
                    continue;
                }
                List<String> actions = actions(policy, statement);
                if (actions.isEmpty()) {
                    continue;
                }
                Grantor grantor = new Grantor(WhatCan.matched(statement, policy, type, -1), negated(statement),
                        listed(policy, statement.resource()), null, !statement.conditions().isEmpty());
                List<String> patterns = resourcePatterns(policy, statement.resource());
                for (String action : actions) {
                    Plan plan = plan(action);
                    plan.grantors.add(grantor);
                    patterns.forEach(pattern -> add(plan, pattern));
                }
            }
        }
    }

    /**
     * Adds an Allow statement of a resource or trust policy that may name the principal; false
     * when it covers none of the actions asked about.
     */
    boolean namedGrant(NamedIn.Entry entry) {
        Statement statement = entry.statement();
        if (statement.action() == null) {
            return false;
        }
        List<String> actions = actions(entry.policy(), statement);
        if (actions.isEmpty()) {
            return false;
        }
        Grantor grantor = new Grantor(WhatCan.matched(statement, entry.policy(), entry.type(), -1),
                negated(statement), listed(entry.policy(), statement.resource()), entry.resource(),
                !statement.conditions().isEmpty());
        List<String> patterns = new ArrayList<>();
        String attached = entry.resource();
        // A resource policy covers its resource, and for an S3 bucket the bucket's objects too.
        List<String> realm = new ArrayList<>(List.of(attached));
        Arn arn = Arn.parse(attached);
        if (entry.type() == PolicyType.RESOURCE && arn != null && arn.service().equals("s3")
                && arn.resource().indexOf('/') < 0) {
            realm.add(attached + "/*");
        }
        if (statement.resource() == null || statement.resource().negated()) {
            patterns.addAll(realm);
        } else {
            for (String written : resourcePatterns(entry.policy(), statement.resource())) {
                for (String covered : realm) {
                    String both = Globs.intersection(written, covered);
                    if (both != null) {
                        patterns.add(both);
                    } else if (Globs.intersects(written, covered)) {
                        unwritten.add(written + " within " + covered + " (" + entry.policy().source() + ")");
                    }
                }
            }
        }
        for (String action : actions) {
            Plan plan = plan(action);
            plan.grantors.add(grantor);
            patterns.forEach(pattern -> add(plan, pattern));
        }
        return true;
    }

    /**
     * Adds, for each action, the narrower patterns a limit (a boundary, or one SCP level) allows
     * within a candidate: the request must fall within one of the limit's Allow statements, so
     * where it allows less than a grant, what it allows is what may be reached.
     */
    void narrow(List<Policy> layer, PolicyType type, int level) {
        String name = level < 0 ? type.cliName() : type.cliName() + " level " + level;
        layers.put(name, type == PolicyType.SCP);
        for (Policy policy : layer) {
            for (Statement statement : policy.statements()) {
                if (statement.effect() != Effect.ALLOW || statement.action() == null) {
                    continue;
                }
                Grantor allow = new Grantor(WhatCan.matched(statement, policy, type, level), negated(statement),
                        listed(policy, statement.resource()), null, !statement.conditions().isEmpty());
                List<String> limits = negated(statement) || statement.resource() == null ? List.of()
                        : resourcePatterns(policy, statement.resource());
                for (Plan plan : coveredBy(statement.action())) {
                    plan.limits.computeIfAbsent(name, n -> new ArrayList<>()).add(allow);
                    limits.forEach(limit -> narrow(plan, limit));
                }
            }
        }
    }

    private void narrow(Plan plan, String limit) {
        for (String pattern : List.copyOf(plan.patterns)) {
            if (pattern.equals(limit) || Globs.contains(limit, pattern)) {
                continue;
            }
            String both = Globs.intersection(pattern, limit);
            if (both != null) {
                add(plan, both);
            } else if (Globs.intersects(pattern, limit)) {
                unwritten.add(plan.action + ": " + pattern + " within " + limit);
            }
        }
    }

    /**
     * Records the Deny statements of policies that apply to the principal, for the actions planned;
     * a NotResource Deny's listed patterns within a candidate become candidates too.
     */
    void denies(List<Policy> policies, PolicyType type, int level) {
        for (Policy policy : policies) {
            for (Statement statement : policy.statements()) {
                if (statement.effect() != Effect.DENY || statement.action() == null) {
                    continue;
                }
                Grantor deny = denial(statement, policy, type, level, listed(policy, statement.resource()));
                for (Plan plan : coveredBy(statement.action())) {
                    plan.denies.add(deny);
                    if (statement.resource() != null && statement.resource().negated()) {
                        // What a NotResource Deny spares within a candidate is a candidate of its own.
                        resourcePatterns(policy, new PatternElement(false, statement.resource().patterns(),
                                statement.resource().location())).forEach(spared -> narrow(plan, spared));
                    }
                }
            }
        }
    }

    /**
     * The Deny statements of other resources' policies in the directory that cover the action and
     * may take part of the pattern away: a pattern such as {@code *} spans resources with their own
     * policies, and those policies' denies apply to them. The policy on the pattern's own side is
     * left to {@link #sideDenies}.
     */
    static List<Excluded> otherResources(String action, String pattern, Policy sidePolicy,
            List<NamedIn.Entry> denials) {
        List<Excluded> found = new ArrayList<>();
        for (NamedIn.Entry denial : denials) {
            if (denial.policy() == sidePolicy || !WhatCan.covers(denial.statement(), Effect.DENY, action)) {
                continue;
            }
            List<String> reached = new ArrayList<>(List.of(denial.resource()));
            Arn arn = Arn.parse(denial.resource());
            if (arn != null && arn.service().equals("s3") && arn.resource().indexOf('/') < 0) {
                reached.add(denial.resource() + "/*");
            }
            for (String resource : reached) {
                if (Globs.intersects(resource, pattern) && !resource.equals(pattern)) {
                    found.add(new Excluded(Plan.within(pattern, resource), WhatCan.matched(denial.statement(),
                            denial.policy(), denial.type(), -1), !denial.statement().conditions().isEmpty(), null));
                }
            }
        }
        return found;
    }

    /**
     * Adds, within each candidate, the patterns a NotResource Allow leaves out: another statement
     * may grant there what the NotResource one does not, on other terms.
     */
    void leftOutByGrants() {
        for (Plan plan : plans.values()) {
            for (Grantor grantor : List.copyOf(plan.grantors)) {
                if (grantor.negated() && grantor.patterns() != null) {
                    // A pattern naming a literal star ("bucket/${*}") writes no pattern of its own.
                    grantor.patterns().stream().filter(pattern -> !pattern.contains("${"))
                            .forEach(pattern -> narrow(plan, pattern));
                }
            }
        }
    }

    /**
     * Adds, within each candidate, what a NotResource Deny on a resource's side (its policy, or an
     * RCP) spares: those parts may be allowed where the rest is denied.
     */
    void sparedBy(List<Policy> resourceSide) {
        for (Policy policy : resourceSide) {
            for (Statement statement : policy.statements()) {
                if (statement.effect() != Effect.DENY || statement.action() == null || !negated(statement)) {
                    continue;
                }
                List<String> spared = listed(policy, statement.resource());
                for (Plan plan : coveredBy(statement.action())) {
                    spared.forEach(pattern -> narrow(plan, pattern));
                }
            }
        }
    }

    /** The Deny statements of the resource's side (its policy, then its account's RCP levels) that cover the action. */
    List<Grantor> sideDenies(String action, Policy resourcePolicy, PolicyType resourceType,
            List<List<Policy>> rcpLevels) {
        List<Grantor> found = new ArrayList<>();
        if (resourcePolicy != null) {
            sideDenies(action, resourcePolicy, resourceType, -1, found);
        }
        for (int level = 0; level < rcpLevels.size(); level++) {
            for (Policy rcp : rcpLevels.get(level)) {
                sideDenies(action, rcp, PolicyType.RCP, level, found);
            }
        }
        return found;
    }

    private void sideDenies(String action, Policy policy, PolicyType type, int level, List<Grantor> found) {
        for (Statement statement : policy.statements()) {
            if (WhatCan.covers(statement, Effect.DENY, action)) {
                // The requester's variables ("bucket/${aws:username}/*") are the principal's.
                found.add(denial(statement, policy, type, level, listed(policy, statement.resource())));
            }
        }
    }

    private static Grantor denial(Statement statement, Policy policy, PolicyType type, int level,
            List<String> listed) {
        return new Grantor(WhatCan.matched(statement, policy, type, level), negated(statement), listed, null,
                !statement.conditions().isEmpty());
    }

    /**
     * Drops the entries another entry for the same action makes redundant: an allowed one whose
     * pattern lies within another allowed one's, and a conditional one within an allowed one's,
     * where the wider one takes nothing away from the narrower one's pattern.
     * An entry on another account's resource stays: a wider pattern stands for the principal's
     * own account's resources, and another account's are reached through their own policies.
     */
    static List<Reach> withoutCovered(List<Reach> reaches, Predicate<String> otherAccount) {
        List<Reach> kept = new ArrayList<>();
        for (Reach reach : reaches) {
            boolean covered = false;
            if (!otherAccount.test(reach.resource())) {
                for (Reach other : reaches) {
                    if (other != reach && other.verdict() == Verdict.ALLOWED
                            && !other.resource().equals(reach.resource())
                            && Diff.covers(other, reach, statement -> false)) {
                        covered = true;
                        break;
                    }
                }
            }
            if (!covered) {
                kept.add(reach);
            }
        }
        return kept;
    }

    private List<String> actions(Policy policy, Statement statement) {
        if (only != null) {
            return onlyCovered.computeIfAbsent(statement, s -> {
                List<String> covered = new ArrayList<>();
                for (String action : only) {
                    if (ResourceSide.covers(s.action(), action) && filter.test(action)) {
                        covered.add(action);
                    }
                }
                return covered;
            });
        }
        ActionExpansion.Expanded expanded = expansion.expand(statement.action());
        for (String pattern : expanded.unexpanded()) {
            if (pattern.equals("NotAction") || filter.test(pattern)) {
                unexpanded.add(pattern + " (" + policy.source() + " statement " + statement.label() + ")");
            }
        }
        return expanded.actions().stream().filter(filter).toList();
    }

    private Plan plan(String action) {
        return plans.computeIfAbsent(action.toLowerCase(Locale.ROOT), key -> {
            Plan plan = new Plan(action);
            byService.computeIfAbsent(service(action), s -> new ArrayList<>()).add(plan);
            return plan;
        });
    }

    /** The plans whose actions an Action or NotAction element covers. */
    private List<Plan> coveredBy(PatternElement element) {
        Collection<Plan> candidates;
        Set<String> services = new LinkedHashSet<>();
        boolean anyService = element.negated();
        for (PolicyString pattern : element.patterns()) {
            String value = pattern.value();
            int colon = value.indexOf(':');
            String service = colon < 0 ? value : value.substring(0, colon);
            if (Wildcard.hasWildcard(service)) {
                anyService = true;
            }
            services.add(service.toLowerCase(Locale.ROOT));
        }
        if (anyService) {
            candidates = plans.values();
        } else {
            candidates = new ArrayList<>();
            for (String service : services) {
                candidates.addAll(byService.getOrDefault(service, List.of()));
            }
        }
        List<Plan> covered = new ArrayList<>();
        for (Plan plan : candidates) {
            if (ResourceSide.covers(element, plan.action)) {
                covered.add(plan);
            }
        }
        return covered;
    }

    private static String service(String action) {
        int colon = action.indexOf(':');
        return (colon < 0 ? action : action.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    private static boolean negated(Statement statement) {
        return statement.resource() != null && statement.resource().negated();
    }

    /**
     * The patterns a Resource or NotResource element lists, with the principal's variables put in
     * (kept as written where they cannot be); null for no element.
     */
    private List<String> listed(Policy policy, PatternElement resource) {
        if (resource == null) {
            return null;
        }
        List<String> patterns = new ArrayList<>();
        for (PolicyString written : resource.patterns()) {
            String pattern = policy.version() == PolicyVersion.V2012_10_17 ? substitute(written.value()) : null;
            if (pattern == null || !pattern.equals(NO_MATCH)) {
                patterns.add(pattern != null ? pattern : written.value());
            }
        }
        return patterns;
    }

    /** A statement's resource patterns with the principal's variables put in; {@code *} for NotResource. */
    private List<String> resourcePatterns(Policy policy, PatternElement resource) {
        if (resource == null || resource.negated()) {
            return List.of("*");
        }
        List<String> patterns = new ArrayList<>();
        for (PolicyString written : resource.patterns()) {
            String pattern = policy.version() == PolicyVersion.V2012_10_17 ? substitute(written.value())
                    : written.value();
            if (pattern == null) {
                unwritten.add(written.value() + " (" + policy.source() + ": a literal * or ? is no pattern)");
            } else if (!pattern.equals(NO_MATCH)) {
                patterns.add(pattern);
            }
        }
        return patterns;
    }

    /**
     * The pattern with each {@code ${key}} put in: the principal's value for a key its facts give
     * (and that is the same for every session, for a role), {@code $} for {@code ${$}}, the default
     * for a key with one, and {@code *} for any other, so that the candidate spans every value the
     * variable may take; the engine's analysis then says for which. Null for a pattern with
     * {@code ${*}} or {@code ${?}}: a literal {@code *} or {@code ?} cannot be written as a pattern.
     */
    private String substitute(String pattern) {
        int start = pattern.indexOf("${");
        if (start < 0) {
            return pattern;
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (start >= 0) {
            int end = pattern.indexOf('}', start);
            if (end < 0) {
                break;
            }
            String variable = pattern.substring(start + 2, end);
            if (variable.equals("*") || variable.equals("?")) {
                return null;
            }
            String value = value(variable);
            if (value == null) {
                return NO_MATCH;
            }
            out.append(pattern, from, start).append(value);
            from = end + 1;
            start = pattern.indexOf("${", from);
        }
        return out.append(pattern.substring(from)).toString();
    }

    private String value(String variable) {
        if (variable.equals("$")) {
            return variable;
        }
        int comma = variable.indexOf(',');
        String key = (comma < 0 ? variable : variable.substring(0, comma)).trim();
        boolean sessionKey = sessionsDiffer && UnknownReads.isSessionKey(key);
        String known = sessionKey ? null : principalFacts.single(key);
        if (known != null) {
            return known;
        }
        if (comma >= 0) {
            String fallback = variable.substring(comma + 1).trim();
            if (fallback.length() >= 2 && fallback.startsWith("'") && fallback.endsWith("'")) {
                return fallback.substring(1, fallback.length() - 1);
            }
        }
        // A key Gavel fills that the principal lacks has no value: the pattern then matches nothing.
        return !sessionKey && Authorizer.isFilledKey(key) ? null : "*";
    }

    /** Adds a candidate, narrowed to the question's resource, and its own-account form for a wildcard account. */
    private void add(Plan plan, String pattern) {
        String scoped = scoped(pattern);
        if (scoped == null) {
            return;
        }
        plan.patterns.add(scoped);
        Arn arn = Arn.parse(scoped);
        if (arn != null && Wildcard.hasWildcard(arn.account())) {
            // A wildcard account is answered for the principal's own account, which also owns the
            // resources whose ARNs carry no account (S3's) unless the directory says otherwise, and
            // for what AWS owns (account "aws"), which is shared with every account.
            for (String account : new String[] {ownAccount, "", "aws"}) {
                if (Wildcard.matches(arn.account(), account, false)) {
                    plan.patterns.add("arn:" + arn.partition() + ":" + arn.service() + ":" + arn.region() + ":"
                            + account + ":" + arn.resource());
                }
            }
        }
    }

    private String scoped(String pattern) {
        if (scope == null || scope.equals(pattern)) {
            return pattern;
        }
        return Globs.intersection(pattern, scope);
    }
}
