package dev.gavel.analysis;

import java.util.List;

/**
 * What a change grants and takes away, principal by principal.
 *
 * @param changes every entry gained or lost, by principal, action and resource
 * @param principals the principals either version holds (or the one asked about)
 * @param outside the principals outside the directory that a changed resource or trust policy
 *     grants or no longer grants an action, by resource and action
 * @param notCompared the resources whose changed policy's outside grants were not compared, and
 *     why (a NotAction, or an action pattern the catalog cannot expand)
 * @param notDecided the parts of compared principals' patterns that a version could not decide
 *     (what-can's {@link WhatCanReport.Coverage#unwritten()}): changes there are not listed
 * @param compared those whose answers could differ, and were compared
 */
public record DiffReport(List<Change> changes, List<OutsideChange> outside, List<String> notCompared,
        List<NotDecided> notDecided, int principals, int compared) {

    public DiffReport {
        changes = List.copyOf(changes);
        outside = List.copyOf(outside);
        notCompared = List.copyOf(notCompared);
        notDecided = List.copyOf(notDecided);
    }

    /**
     * Whether the new version allows anything the old one did not, or has a part it could not
     * decide that the old one did not have (which may hide new access): what gates a pull request.
     */
    public boolean newAccess() {
        return changes.stream().anyMatch(change -> change.direction() == Direction.GRANTED)
                || outside.stream().anyMatch(change -> change.direction() == Direction.GRANTED)
                || notDecided.stream().anyMatch(part -> part.after() && !part.before());
    }

    /**
     * A part of a principal's pattern that what-can could not decide (as its coverage words it),
     * and which versions could not: the same part in both may still hide a change.
     */
    public record NotDecided(String principal, String part, boolean before, boolean after) {}

    /**
     * A principal outside the directory (an account, a service, everyone...) that a changed
     * resource or trust policy now allows, or no longer allows, an action on its resource: as
     * who-can lists it, from that policy's side.
     */
    public record OutsideChange(Direction direction, String resource, String action, OutsideGrant grant) {}

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
