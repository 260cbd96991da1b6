package dev.gavel.analysis;

import dev.gavel.Action;
import dev.gavel.ActionReach;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which members of a roster an action may concern, as bitsets over the roster's order: worked
 * out once per action from each member's own policies (identity-based, boundary, SCPs), whatever
 * the resource and context, and kept for the actions asked most recently. A question then checks
 * only the members its bitset holds, and looks for unknown keys only in the statements of those
 * that read some. Thread-safe.
 */
final class ActionIndex {

    /** How many actions' bitsets are kept: each takes three bits per member. */
    static final int ACTIONS_KEPT = 64;

    /**
     * The members, by their index in the roster, that one action may concern.
     *
     * @param open those whose identity-based policies may allow it, within boundary and SCPs
     * @param notBlocked those whose SCPs do not rule it out: with a resource-based (or trust)
     *     policy that may grant it, any of them could be allowed
     * @param readsKeys those whose own policies have a statement on the action that reads keys,
     *     the only ones whose own side may depend on unknown keys
     */
    record Members(BitSet open, BitSet notBlocked, BitSet readsKeys) {}

    private final Roster.Member[] members;
    private final long version;
    private final LongSupplier currentVersion;
    private final Map<String, Members> byAction = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Members> eldest) {
            return size() > ACTIONS_KEPT;
        }
    };

    /** The index of the members of snapshot {@code version}; {@code currentVersion} reads the engine's. */
    ActionIndex(Roster.Member[] members, long version, LongSupplier currentVersion) {
        this.members = members;
        this.version = version;
        this.currentVersion = currentVersion;
    }

    /** The members the action may concern; null when the engine swapped snapshots meanwhile. */
    Members of(Action action) {
        synchronized (byAction) {
            Members found = byAction.get(action.name());
            if (found != null) {
                return found;
            }
        }
        BitSet open = new BitSet(members.length);
        BitSet notBlocked = new BitSet(members.length);
        BitSet readsKeys = new BitSet(members.length);
        for (int i = 0; i < members.length; i++) {
            Roster.Member member = members[i];
            ActionReach reach = member.handle().reach(action);
            if (reach != ActionReach.BLOCKED) {
                notBlocked.set(i);
                if (reach == ActionReach.OPEN) {
                    open.set(i);
                }
            }
            for (KeyReads read : member.reads()) {
                if (ResourceSide.covers(read.action(), action.name())) {
                    readsKeys.set(i);
                    break;
                }
            }
        }
        if (currentVersion.getAsLong() != version) {
            // The handles answered for another snapshot.
            return null;
        }
        Members found = new Members(open, notBlocked, readsKeys);
        synchronized (byAction) {
            byAction.putIfAbsent(action.name(), found);
        }
        return found;
    }
}
