package dev.gavel.analysis;

import dev.gavel.Engine;
import dev.gavel.directory.Account;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a change grants and what it takes away: the (principal, action, resource pattern,
 * condition) entries one version of a directory allows and the other does not, SCP, RCP and
 * boundary edits included.
 *
 * <pre>{@code
 * DiffReport report = new Diff(catalog).compare(Engine.of(before), Engine.of(after), null, null,
 *         RequestContext.empty());
 * if (report.newAccess()) { ... }
 * }</pre>
 *
 * <p>Each principal's entries are what-can's ({@link WhatCan}), compared by what they cover: an
 * entry of the new version is new access unless an entry of the old one, for the same action,
 * covers its resource pattern at least as widely (allowed, or conditional on the same condition)
 * and takes away no more; what was lost is the same comparison the other way. A principal is
 * answered only for the actions whose covering statements changed in a policy that applies to it,
 * or on any resource's side ({@link PolicyChanges}): elsewhere its answers cannot differ, so a
 * change to one SCP over a large directory costs what-can on that SCP's actions, not on
 * everything. Principals only one version holds are compared in full. Fail closed: a pair either
 * version left undecided is reported as a change.
 */
public final class Diff {

    private final ServiceCatalog catalog;
    private final ActionExpansion expansion;

    /** @param catalog the service catalog that expands wildcards in actions, or null to take patterns as written */
    public Diff(ServiceCatalog catalog) {
        this.catalog = catalog;
        this.expansion = new ActionExpansion(catalog);
    }

    /**
     * Compares two versions.
     *
     * @param principal only this principal (a user's ARN or a role's), or null for every principal
     * @param action only this action (such as {@code s3:GetObject}), or null for every action
     * @param context the request facts both versions are asked with
     * @throws RequestException naming the field that is wrong: a principal neither version holds, a
     *     context key Gavel fills
     */
    public DiffReport compare(Engine before, Engine after, String principal, String action, RequestContext context)
            throws RequestException {
        Directory was = before.directory();
        Directory is = after.directory();
        PolicyChanges changes = new PolicyChanges(was, is);
        Set<String> principals = new LinkedHashSet<>();
        if (principal != null) {
            if (!holds(was, principal) && !holds(is, principal)) {
                throw new RequestException("principal", "neither version holds " + principal);
            }
            principals.add(principal);
        } else {
            principals.addAll(arns(was));
            principals.addAll(arns(is));
        }
        Predicate<String> only = action == null ? a -> true : a -> a.equalsIgnoreCase(action);
        WhatCan whatCanBefore = new WhatCan(before, catalog);
        WhatCan whatCanAfter = new WhatCan(after, catalog);
        List<DiffReport.Change> found = new ArrayList<>();
        List<DiffReport.NotDecided> notDecided = new ArrayList<>();
        // Most principals share their changed statements (an SCP's, a shared managed policy's): one list each.
        Map<Statements, List<String>> actionSets = new HashMap<>();
        int compared = 0;
        for (String arn : principals) {
            boolean wasHeld = holds(was, arn);
            boolean isHeld = holds(is, arn);
            PolicyChanges.Affected affected = wasHeld && isHeld ? changes.forPrincipal(arn)
                    : new PolicyChanges.Affected(true, List.of());
            if (affected.none()) {
                continue;
            }
            compared++;
            Predicate<String> actions = affected.all() ? only : only.and(covered(affected.statements()));
            List<String> actionSet = affected.all() ? null : actionSets.computeIfAbsent(
                    new Statements(affected.statements()), key -> actionSet(key.statements(), action));
            WhatCanReport old = wasHeld ? whatCanBefore.askFiltered(arn, actions, actionSet, null, context) : null;
            WhatCanReport now = isHeld ? whatCanAfter.askFiltered(arn, actions, actionSet, null, context) : null;
            String account = accountOf(isHeld ? is : was, arn);
            compare(arn, old, now, changes, resource -> otherAccount(was, resource, account),
                    resource -> otherAccount(is, resource, account), found);
            notDecided(arn, old, now, notDecided);
        }
        // A resource whose owner changed: where it is now the principal's own (or no longer is), a
        // pattern that spans it now reaches it (or no longer does), though the entry reads the same.
        for (String resource : changes.reowned()) {
            List<String> realm = new ArrayList<>(List.of(resource));
            if (resource.startsWith("arn:aws:s3:::") && resource.indexOf('/') < 0) {
                realm.add(resource + "/*");
            }
            for (String arn : principals) {
                if (!holds(was, arn) || !holds(is, arn)) {
                    continue;
                }
                String account = accountOf(is, arn);
                boolean wasOwn = own(was.resourceAccount(resource), account);
                boolean isOwn = own(is.resourceAccount(resource), account);
                if (wasOwn == isOwn) {
                    continue;
                }
                WhatCan side = isOwn ? whatCanAfter : whatCanBefore;
                WhatCanReport report = side.askFiltered(arn, only, null, null, context);
                for (Reach reach : report.reaches()) {
                    for (String part : realm) {
                        if (Globs.intersects(reach.resource(), part)) {
                            String narrowed = Globs.intersection(reach.resource(), part);
                            found.add(new DiffReport.Change(isOwn ? DiffReport.Direction.GRANTED
                                    : DiffReport.Direction.REVOKED, arn, report.type(), new Reach(reach.action(),
                                    reach.accessLevel(), narrowed != null ? narrowed : part, reach.verdict(),
                                    reach.condition(), reach.statements(), reach.excluded()),
                                    "owned by " + (isOwn ? "another account" : "the principal's account")));
                        }
                    }
                }
            }
        }
        Map<List<Object>, DiffReport.Change> distinct = new LinkedHashMap<>();
        for (DiffReport.Change change : found) {
            distinct.putIfAbsent(List.of(change.direction(), change.principal(), change.reach().action(),
                    change.reach().resource()), change);
        }
        found.clear();
        found.addAll(distinct.values());
        List<String> notCompared = new ArrayList<>();
        List<DiffReport.OutsideChange> outside = outside(was, is, before, after, changes, only, context, notCompared);
        found.sort(Comparator.comparing(DiffReport.Change::principal)
                .thenComparing(change -> change.reach().action().toLowerCase(Locale.ROOT))
                .thenComparing(change -> change.reach().resource()).thenComparing(DiffReport.Change::direction));
        return new DiffReport(found, outside, notCompared, notDecided, principals.size(), compared);
    }

    /** The parts either version could not decide for a principal, and which did not. */
    private static void notDecided(String arn, WhatCanReport old, WhatCanReport now,
            List<DiffReport.NotDecided> found) {
        List<String> was = old == null ? List.of() : old.coverage().unwritten();
        List<String> is = now == null ? List.of() : now.coverage().unwritten();
        Set<String> parts = new LinkedHashSet<>(was);
        parts.addAll(is);
        for (String part : parts) {
            found.add(new DiffReport.NotDecided(arn, part, was.contains(part), is.contains(part)));
        }
    }

    /**
     * What changed resource and trust policies grant principals outside the directory: who-can's
     * outside principals on each such resource (for a bucket, its objects too), for the actions
     * the changed statements cover, compared by who is named, verdict and condition.
     */
    private List<DiffReport.OutsideChange> outside(Directory was, Directory is, Engine before, Engine after,
            PolicyChanges changes, Predicate<String> only, RequestContext context, List<String> notCompared)
            throws RequestException {
        List<DiffReport.OutsideChange> found = new ArrayList<>();
        OutsidePrincipals old = new OutsidePrincipals(was, new Authorizer(was, before.clock()));
        OutsidePrincipals now = new OutsidePrincipals(is, new Authorizer(is, after.clock()));
        for (Map.Entry<String, List<Statement>> changed : changes.resourcePolicies().entrySet()) {
            String resource = changed.getKey();
            List<String> realm = new ArrayList<>(List.of(resource));
            if (resource.startsWith("arn:aws:s3:::") && resource.indexOf('/') < 0) {
                realm.add(resource + "/*");
            }
            List<String> actions = actionSet(changed.getValue(), null);
            if (actions == null) {
                notCompared.add(resource + " (its changed statements' actions cannot be listed: NotAction, or a "
                        + "pattern the service catalog cannot expand)");
                continue;
            }
            for (String action : actions) {
                if (!only.test(action)) {
                    continue;
                }
                for (String part : realm) {
                    List<OutsideGrant> was1 = old.find(action, part, context).grants();
                    List<OutsideGrant> is1 = now.find(action, part, context).grants();
                    for (OutsideGrant grant : is1) {
                        if (was1.stream().noneMatch(earlier -> atLeast(earlier, grant))) {
                            found.add(new DiffReport.OutsideChange(DiffReport.Direction.GRANTED, part, action, grant));
                        }
                    }
                    for (OutsideGrant grant : was1) {
                        if (is1.stream().noneMatch(later -> atLeast(later, grant))) {
                            found.add(new DiffReport.OutsideChange(DiffReport.Direction.REVOKED, part, action, grant));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Whether one outside entry allows all another does: the same principal, allowed or on the same condition. */
    private static boolean atLeast(OutsideGrant wide, OutsideGrant narrow) {
        return wide.kind() == narrow.kind() && wide.named().equals(narrow.named())
                && (wide.verdict() == Verdict.ALLOWED || narrow.verdict() == Verdict.CONDITIONAL
                        && wide.condition().equals(narrow.condition()));
    }

    /**
     * The entries gained and lost by one principal; a missing report (not held) has none. An entry
     * on another account's resource is covered only by one on another account's resource: a wider
     * pattern stands for the principal's own account's resources (see {@link WhatCan}).
     */
    private static void compare(String arn, WhatCanReport old, WhatCanReport now, PolicyChanges changes,
            Predicate<String> otherBefore, Predicate<String> otherAfter, List<DiffReport.Change> found) {
        List<Reach> was = old == null ? List.of() : old.reaches();
        List<Reach> is = now == null ? List.of() : now.reaches();
        PrincipalType type = now != null ? now.type() : old.type();
        Predicate<MatchedStatement> changedBefore = statement -> changes.changed(statement, false);
        Predicate<MatchedStatement> changedAfter = statement -> changes.changed(statement, true);
        for (Reach reach : is) {
            boolean other = otherAfter.test(reach.resource());
            if (was.stream().noneMatch(earlier -> covers(earlier, reach, changedBefore)
                    && (!other || otherBefore.test(earlier.resource())))) {
                found.add(new DiffReport.Change(DiffReport.Direction.GRANTED, arn, type, reach,
                        previously(was, reach)));
            }
        }
        for (Reach reach : was) {
            boolean other = otherBefore.test(reach.resource());
            if (is.stream().noneMatch(later -> covers(later, reach, changedAfter)
                    && (!other || otherAfter.test(later.resource())))) {
                found.add(new DiffReport.Change(DiffReport.Direction.REVOKED, arn, type, reach, previously(is, reach)));
            }
        }
        undecided(arn, type, old, DiffReport.Direction.REVOKED, found);
        undecided(arn, type, now, DiffReport.Direction.GRANTED, found);
    }

    /** A list of statements compared by identity, element by element: cheap to hash, exact to compare. */
    private record Statements(List<Statement> statements) {

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Statements that) || that.statements.size() != statements.size()) {
                return false;
            }
            for (int i = 0; i < statements.size(); i++) {
                if (statements.get(i) != that.statements.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = 1;
            for (Statement statement : statements) {
                hash = 31 * hash + System.identityHashCode(statement);
            }
            return hash;
        }
    }

    /** A pair that a version could not decide is a change, failing closed. */
    private static void undecided(String arn, PrincipalType type, WhatCanReport report, DiffReport.Direction direction,
            List<DiffReport.Change> found) {
        if (report == null) {
            return;
        }
        for (String pair : report.coverage().undecided()) {
            int on = pair.indexOf(" on ");
            found.add(new DiffReport.Change(direction, arn, type, new Reach(pair.substring(0, on),
                    AccessLevel.of(pair.substring(0, on)), pair.substring(on + 4), Verdict.CONDITIONAL,
                    Residual.TRUE, List.of(), List.of()), "undecided"));
        }
    }

    /**
     * Whether {@code wide} allows all that {@code narrow} does: the same action, a pattern covering
     * narrow's, allowed (or conditional on the same condition as narrow), and nothing taken away
     * that narrow does not take away too, for the same reason: an exclusion is the same only when
     * the same policy's statement of the same effect, unchanged ({@code changed} says which of
     * wide's statements the other version does not hold), or the same rule, takes away the same
     * part. Another statement's exclusion of the same part may not apply where wide's does.
     */
    static boolean covers(Reach wide, Reach narrow, Predicate<MatchedStatement> changed) {
        if (!wide.action().equalsIgnoreCase(narrow.action()) || !Globs.contains(wide.resource(), narrow.resource())) {
            return false;
        }
        if (wide.verdict() == Verdict.CONDITIONAL && (narrow.verdict() != Verdict.CONDITIONAL
                || !wide.condition().equals(narrow.condition()))) {
            return false;
        }
        for (Reach.Excluded excluded : wide.excluded()) {
            boolean stable = excluded.statement() == null || !changed.test(excluded.statement());
            boolean alsoNarrow = stable && narrow.excluded().stream().anyMatch(other -> sameExclusion(other, excluded));
            if (!alsoNarrow && (excluded.resource().contains(" ") || Globs.intersects(excluded.resource(),
                    narrow.resource()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether two exclusions take away the same part for the same reason, wherever their statements sit. */
    private static boolean sameExclusion(Reach.Excluded one, Reach.Excluded other) {
        if (!one.resource().equals(other.resource()) || one.conditional() != other.conditional()) {
            return false;
        }
        MatchedStatement a = one.statement();
        MatchedStatement b = other.statement();
        if (a == null || b == null) {
            return a == b && Objects.equals(one.rule(), other.rule());
        }
        return a.policy().equals(b.policy()) && a.effect() == b.effect() && a.policyType() == b.policyType()
                && a.level() == b.level();
    }

    /** How the other version answered the same action on the same pattern, or null when it did not list it. */
    private static String previously(List<Reach> other, Reach reach) {
        for (Reach earlier : other) {
            if (earlier.action().equalsIgnoreCase(reach.action()) && earlier.resource().equals(reach.resource())) {
                return earlier.verdict() == Verdict.CONDITIONAL ? "conditional: " + earlier.condition().text()
                        : earlier.excluded().isEmpty() ? "allowed" : "allowed with other exclusions";
            }
        }
        return null;
    }

    /** Whether an action is one some changed statement covers. */
    private static Predicate<String> covered(List<Statement> statements) {
        return action -> {
            for (Statement statement : statements) {
                if (ResourceSide.covers(statement.action(), action)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * The actions the changed statements cover, when they can be listed (no NotAction, and each
     * wildcard expanded by the catalog); null otherwise. For outside principals, a list that cannot
     * be made is a resource whose outside grants are not compared (the command says so). What-can
     * then decides these only, rather than filter every action its statements grant.
     */
    private List<String> actionSet(List<Statement> statements, String action) {
        Set<String> actions = new LinkedHashSet<>();
        for (Statement statement : statements) {
            if (statement.action() == null) {
                continue;
            }
            if (statement.action().negated()) {
                return null;
            }
            ActionExpansion.Expanded expanded = expansion.expand(statement.action());
            if (!expanded.unexpanded().isEmpty() || expanded.actions().size() > 2_000) {
                return null;
            }
            actions.addAll(expanded.actions());
        }
        if (action != null) {
            actions.removeIf(a -> !a.equalsIgnoreCase(action));
        }
        return List.copyOf(actions);
    }

    /** Whether the directory says another account than the principal's (or AWS) owns the resource. */
    private static boolean otherAccount(Directory directory, String resource, String account) {
        String owner = directory.resourceAccount(resource);
        return owner != null && !owner.equals(account) && !owner.equals("aws");
    }

    /** Whether a resource owned by {@code owner} (null: no entry says) is the principal's account's own. */
    private static boolean own(String owner, String account) {
        return owner == null || owner.equals(account);
    }

    private static String accountOf(Directory directory, String arn) {
        User user = directory.user(arn);
        return user != null ? user.accountId() : directory.role(arn).accountId();
    }

    private static boolean holds(Directory directory, String arn) {
        return directory.user(arn) != null || directory.role(arn) != null;
    }

    private static List<String> arns(Directory directory) {
        List<String> arns = new ArrayList<>();
        List<Account> accounts = directory.accounts().stream().sorted(Comparator.comparing(Account::id)).toList();
        for (Account account : accounts) {
            account.users().values().stream().map(User::arn).sorted().forEach(arns::add);
            account.allRoles().stream().map(Role::arn).sorted().forEach(arns::add);
        }
        return arns;
    }
}
