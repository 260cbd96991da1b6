package dev.gavel.simulate;

import dev.gavel.policy.Finding;
import java.util.List;

/** One line of a case file: a case ready to run, or a line that could not be read as one. */
public sealed interface CaseLine permits SimulationCase, MalformedCase {

    /** The case's id, or null when the line is too broken to tell. */
    String id();

    /** The line's number in its file, from 1. */
    int line();

    /** What reading the line found questionable but not wrong, such as unknown fields; in source order. */
    List<Finding> warnings();
}
