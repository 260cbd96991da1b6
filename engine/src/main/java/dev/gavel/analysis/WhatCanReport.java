package dev.gavel.analysis;

import java.util.List;

/**
 * What one principal may do: each action with the resource patterns it may perform it on, grouped
 * by service and access level (entries are ordered by service, level, action and resource).
 *
 * @param principal the user's ARN, the role's (answered for a session of it with no session
 *     policy), or the session's ARN as asked
 * @param version the engine snapshot that answered
 * @param coverage what the answer examined, and what it could not decide
 */
public record WhatCanReport(String principal, PrincipalType type, long version, List<Reach> reaches,
        Coverage coverage) {

    public WhatCanReport {
        reaches = List.copyOf(reaches);
    }

    /** Whether the principal may do anything at all in the question's scope, if only under a condition. */
    public boolean anything() {
        return !reaches.isEmpty();
    }

    /**
     * What a what-can answer looked at.
     *
     * @param policies the policies that apply to the principal: identity-based, boundary, SCPs, and
     *     resource and trust policies that name it
     * @param actions the distinct actions those policies' Allow statements grant in scope
     * @param decided the (action, resource pattern) pairs decided
     * @param unexpanded action patterns the service catalog could not expand (a service it does not
     *     hold, or NotAction without a catalog), each with where it is written: the answer covers
     *     such a pattern as written, or not at all for NotAction
     * @param unwritten where a boundary or SCP allows part of a granted pattern that no single
     *     pattern writes (such as {@code arn:aws:s3:::a*} within {@code arn:aws:s3:::*z}): that part
     *     is not decided, and the answer says so here rather than guess
     * @param undecided pairs whose check failed, or whose compiled check and analysis disagreed:
     *     left out, failing closed
     */
    public record Coverage(int policies, int actions, int decided, List<String> unexpanded, List<String> unwritten,
            List<String> undecided) {

        public Coverage {
            unexpanded = List.copyOf(unexpanded);
            unwritten = List.copyOf(unwritten);
            undecided = List.copyOf(undecided);
        }
    }
}
