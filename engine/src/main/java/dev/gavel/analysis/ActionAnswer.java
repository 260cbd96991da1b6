package dev.gavel.analysis;

import java.util.List;

/**
 * Who may perform one action on the resource: the directory's principals (users first, then
 * roles, each by ARN) and the outside principals the resource side names. Principals that may
 * not, whatever the unknown keys are, are left out.
 */
public record ActionAnswer(String action, List<Grant> principals, List<OutsideGrant> outside) {

    public ActionAnswer {
        principals = List.copyOf(principals);
        outside = List.copyOf(outside);
    }

    /** Whether anybody at all may, if only under a condition. */
    public boolean anyone() {
        return !principals.isEmpty() || !outside.isEmpty();
    }
}
