package dev.gavel.analysis;

import java.util.List;

/**
 * The answer to a who-can question: per action asked, who may perform it on the resource, decided
 * on one snapshot of the engine, and what was examined.
 */
public record WhoCanReport(String resource, long version, List<ActionAnswer> actions, Coverage coverage) {

    public WhoCanReport {
        actions = List.copyOf(actions);
    }

    /** Whether anybody may perform any of the actions. */
    public boolean anyone() {
        return actions.stream().anyMatch(ActionAnswer::anyone);
    }
}
