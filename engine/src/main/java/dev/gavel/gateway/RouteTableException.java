package dev.gavel.gateway;

import dev.gavel.policy.Finding;
import dev.gavel.policy.Severity;
import java.util.List;

/** A route table that did not load, with every problem found in it. No table was built. */
public final class RouteTableException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Finding> findings;

    RouteTableException(String source, List<Finding> findings) {
        super(summary(source, findings));
        this.findings = List.copyOf(findings);
    }

    /** Every finding, errors and warnings, in source order. */
    public List<Finding> findings() {
        return findings;
    }

    private static String summary(String source, List<Finding> findings) {
        long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        StringBuilder out = new StringBuilder("the route table " + source + " has " + errors
                + (errors == 1 ? " error" : " errors") + "; nothing was loaded");
        for (Finding finding : findings) {
            out.append('\n').append(finding.format());
        }
        return out.toString();
    }
}
