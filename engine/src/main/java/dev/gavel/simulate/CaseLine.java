package dev.gavel.simulate;

/** One line of a case file: a case ready to run, or a line that could not be read as one. */
public sealed interface CaseLine permits SimulationCase, MalformedCase {

    /** The case's id, or null when the line is too broken to tell. */
    String id();

    /** The line's number in its file, from 1. */
    int line();
}
