package dev.gavel.directory;

import java.util.List;

/** A directory that did not load, with every problem found in it. Nothing of it was loaded. */
public final class DirectoryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<LoadProblem> problems;

    public DirectoryException(List<LoadProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, file by file, in source order. */
    public List<LoadProblem> problems() {
        return problems;
    }

    private static String summary(List<LoadProblem> problems) {
        StringBuilder out = new StringBuilder(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + " in the directory; nothing was loaded");
        for (LoadProblem problem : problems) {
            out.append('\n').append(problem.format());
        }
        return out.toString();
    }
}
