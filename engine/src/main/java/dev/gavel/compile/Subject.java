package dev.gavel.compile;

/**
 * The principal side of a request, compiled: who asks, and the policies that come with them. The
 * SCP levels are the caller's account's, root first; groups absent for this principal are null
 * (boundary, session policies). Shared by every request of the principal.
 */
final class Subject {

    final CallerView caller;
    final PolicyGroup[] scps;
    final PolicyGroup identity;
    final PolicyGroup boundary;
    final PolicyGroup sessions;
    /** The context keys Gavel fills from the principal; null when the request carries them all. */
    final SlotValues facts;
    private final ActionMemo<Plans> plans = new ActionMemo<>();

    /** The plans of every group of the subject for one action, found with one lookup. */
    static final class Plans {
        final ActionInfo info;
        final PolicyGroup.Plan[] scps;
        final PolicyGroup.Plan identity;
        final PolicyGroup.Plan boundary;
        final PolicyGroup.Plan sessions;

        Plans(Subject subject, int actionId, String action) {
            info = ActionInfo.of(action);
            scps = new PolicyGroup.Plan[subject.scps.length];
            for (int i = 0; i < scps.length; i++) {
                scps[i] = subject.scps[i].plan(actionId, action);
            }
            identity = subject.identity.plan(actionId, action);
            boundary = subject.boundary == null ? null : subject.boundary.plan(actionId, action);
            sessions = subject.sessions == null ? null : subject.sessions.plan(actionId, action);
        }
    }

    Subject(CallerView caller, PolicyGroup[] scps, PolicyGroup identity, PolicyGroup boundary, PolicyGroup sessions,
            SlotValues facts) {
        this.caller = caller;
        this.scps = scps;
        this.identity = identity;
        this.boundary = boundary;
        this.sessions = sessions;
        this.facts = facts;
    }

    /** The plans for an action; worked out on first use. */
    Plans plans(int actionId, String action) {
        Plans found = plans.get(actionId);
        if (found == null) {
            found = new Plans(this, actionId, action);
            plans.put(actionId, found);
        }
        return found;
    }
}
