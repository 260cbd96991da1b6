package dev.gavel.simulate;

import dev.gavel.policy.Finding;
import java.util.List;

/** A line that is not a valid case; {@code problem} says where and why. */
public record MalformedCase(String id, int line, Finding problem, List<Finding> warnings) implements CaseLine {

    public MalformedCase {
        warnings = warnings.stream().sorted(Finding.SOURCE_ORDER).toList();
    }

    /** {@code FILE:LINE:COL: PATH: message}, the form {@code gavel simulate} and {@code gavel test} print. */
    public String error() {
        String path = problem.location().path();
        return problem.source() + ":" + problem.location() + ": " + (path.isEmpty() ? "" : path + ": ")
                + problem.message();
    }
}
