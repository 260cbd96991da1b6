package dev.gavel.cli;

import dev.gavel.eval.KeyKnowledge;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --unknown-context} and {@code --unknown-key}: analyse requests whose context is partly unknown. */
final class UnknownContextOptions {

    @Option(names = "--unknown-context",
            description = "Analyse rather than decide: every context key a request does not give is unknown. A request"
                    + " allowed for some values of them only is 'conditional', printed with the condition they must"
                    + " meet.")
    private boolean unknownContext;

    @Option(names = "--unknown-key", paramLabel = "KEY",
            description = "A context key, or a pattern of them such as aws:ResourceTag/*, that is unknown unless a"
                    + " request gives it (repeatable). Analyses as --unknown-context does, for these keys only.")
    private List<String> unknownKeys = new ArrayList<>();

    /** Whether either option was given, so that requests are analysed rather than decided. */
    boolean analyse() {
        return unknownContext || !unknownKeys.isEmpty();
    }

    /** The keys named with {@code --unknown-key}, as given. */
    List<String> unknownKeys() {
        return List.copyOf(unknownKeys);
    }

    /** What the options say is unknown, or null after printing why a key was refused. */
    KeyKnowledge knowledge(PrintWriter err, String command) {
        try {
            KeyKnowledge base = unknownContext ? KeyKnowledge.unknownContext() : KeyKnowledge.complete();
            return base.withUnknown(unknownKeys);
        } catch (IllegalArgumentException e) {
            err.println(command + ": --unknown-key: " + e.getMessage());
            return null;
        }
    }
}
