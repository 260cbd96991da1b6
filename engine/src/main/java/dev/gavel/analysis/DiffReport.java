package dev.gavel.analysis;

import java.util.List;

/**
 * What a change grants and takes away, principal by principal.
 *
 * @param changes every entry gained or lost, by principal, action and resource
 * @param principals the principals either version holds (or the one asked about)
 * @param compared those whose answers could differ, and were compared
 */
public record DiffReport(List<Change> changes, int principals, int compared) {

    public DiffReport {
        changes = List.copyOf(changes);
    }

    /** Whether the new version allows anything the old one did not: what gates a pull request. */
    public boolean newAccess() {
        return changes.stream().anyMatch(change -> change.direction() == Direction.GRANTED);
    }

    /** Which way an entry changed. */
    public enum Direction {
        /** The new version allows it (or allows it more widely) and the old one did not. */
        GRANTED("granted"),
        /** The old version allowed it and the new one does not (or allows it less widely). */
        REVOKED("revoked");

        private final String jsonName;

        Direction(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /**
     * One entry gained or lost.
     *
     * @param reach the entry as the version that has it answers: action, resource pattern, verdict,
     *     condition, the statements behind it
     * @param previously how the other version answered the same action on the same pattern
     *     ({@code allowed}, {@code conditional: ...}), or null when it did not list it
     */
    public record Change(Direction direction, String principal, PrincipalType type, Reach reach, String previously) {}
}
