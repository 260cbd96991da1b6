package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Running out of memory anywhere in a command is one line naming GAVEL_JAVA_OPTS, and exit code 3. */
class OutOfMemoryTest {

    /** A command that runs out of memory, as loading a directory too large for the heap does. */
    @Command(name = "exhaust")
    static final class Exhaust implements Callable<Integer> {
        private final OutOfMemoryError error;

        Exhaust(OutOfMemoryError error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error;
        }
    }

    private static String[] run(OutOfMemoryError error, StringWriter out, StringWriter err) {
        CommandLine command = GavelCli.commandLine().addSubcommand(new Exhaust(error));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = GavelCli.execute(command, "exhaust");
        assertThat(exit).isEqualTo(3);
        return err.toString().split("\n", -1);
    }

    @Test
    void runningOutOfMemoryIsOneLineThatSaysHowToGiveJavaMoreHeap() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] lines = run(new OutOfMemoryError("Java heap space"), out, err);
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("gavel: out of memory; give Java more heap, for example GAVEL_JAVA_OPTS=-Xmx")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(lines[1]).isEmpty();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void whatWasBeingDoneIsNamed() {
        StringWriter err = new StringWriter();
        String[] lines = run(new OutOfMemory.While("loading the directory /data/big",
                new OutOfMemoryError("Java heap space")), new StringWriter(), err);
        assertThat(lines[0]).startsWith("gavel: out of memory loading the directory /data/big; give Java more heap, "
                + "for example GAVEL_JAVA_OPTS=-Xmx");
    }

    @Test
    void theHeapSuggestedIsAtLeastTwiceTheCurrentOne() {
        assertThat(OutOfMemory.suggestedHeap(64L << 20)).isEqualTo("1g");
        assertThat(OutOfMemory.suggestedHeap(512L << 20)).isEqualTo("1g");
        assertThat(OutOfMemory.suggestedHeap(1L << 30)).isEqualTo("2g");
        assertThat(OutOfMemory.suggestedHeap(3L << 30)).isEqualTo("8g");
        assertThat(OutOfMemory.message(new OutOfMemoryError(), 6L << 30))
                .isEqualTo("gavel: out of memory; give Java more heap, for example GAVEL_JAVA_OPTS=-Xmx16g");
    }

    @Test
    void theTopCommandsHelpNamesTheVariableAndTheExitCode() {
        StringWriter out = new StringWriter();
        CommandLine command = GavelCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        assertThat(GavelCli.execute(command, "--help")).isZero();
        assertThat(out.toString()).contains("GAVEL_JAVA_OPTS=-Xmx2g").contains("3   Java ran out of memory");
    }
}
