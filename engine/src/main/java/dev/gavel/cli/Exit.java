package dev.gavel.cli;

/** The exit codes of every {@code gavel} subcommand. */
final class Exit {

    /** Everything passed. */
    static final int OK = 0;
    /** A case failed or errored, or a policy has an ERROR finding. */
    static final int FAILED = 1;
    /** The command line was wrong, or an input could not be read at all (picocli's usage code). */
    static final int USAGE = 2;
    /** Java ran out of heap; one line said so, and how to give it more. */
    static final int OUT_OF_MEMORY = 3;
    /** A bug: an exception no command expected; one line said so (the stack trace with GAVEL_DEBUG=1). */
    static final int INTERNAL_ERROR = 4;

    private Exit() {}
}
