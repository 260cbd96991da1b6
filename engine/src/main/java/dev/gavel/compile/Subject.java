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

    Subject(CallerView caller, PolicyGroup[] scps, PolicyGroup identity, PolicyGroup boundary, PolicyGroup sessions,
            SlotValues facts) {
        this.caller = caller;
        this.scps = scps;
        this.identity = identity;
        this.boundary = boundary;
        this.sessions = sessions;
        this.facts = facts;
    }
}
