package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A bug in a command is one line naming the command and the exception, and exit code 4: no stack trace. */
class InternalErrorTest {

    /** A command with a bug, added as the sidecar adds its own commands. */
    @Command(name = "broken")
    static final class Broken implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("the table has no row 7");
        }
    }

    @Test
    void anUnexpectedExceptionIsOneLineAndExitCodeFour() {
        CommandLine commandLine = GavelCli.commandLine().addSubcommand(new Broken());
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        int exit = GavelCli.execute(commandLine, "broken");
        assertThat(exit).isEqualTo(4);
        String expected = System.getenv("GAVEL_DEBUG") == null
                ? "gavel broken: internal error: java.lang.IllegalStateException: the table has no row 7 (set "
                        + "GAVEL_DEBUG=1 for the stack trace, and please report it)" + System.lineSeparator()
                : "gavel broken: internal error: java.lang.IllegalStateException: the table has no row 7";
        assertThat(err.toString()).startsWith(expected);
        if (System.getenv("GAVEL_DEBUG") == null) {
            assertThat(err.toString()).isEqualTo(expected).doesNotContain("\tat ");
        }
    }
}
