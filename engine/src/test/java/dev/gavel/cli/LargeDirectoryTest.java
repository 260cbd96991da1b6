package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.bench.DirectoryGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large directory loads in a small heap, and one too large for the heap is one clear line: the
 * command line runs in a JVM of its own, with a fixed {@code -Xmx}, so that nothing is timed.
 *
 * <p>The directory is a generated account of 20,000 principals (19 MB). Reading its account file
 * whole, as Gavel did before it streamed, needs 128 MiB of heap and fails in 96 MiB; streamed, it
 * loads in 28 MiB. The test gives it 96 MiB, and 16 MiB to run out.
 */
class LargeDirectoryTest {

    private static final int PRINCIPALS = 20_000;

    @TempDir
    static Path folder;

    private static DirectoryGenerator.Summary directory;

    /** What a forked command printed and returned. */
    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void generate() throws IOException {
        directory = DirectoryGenerator.generate(folder.resolve("big"), PRINCIPALS, 42);
    }

    private static Run gavel(String maxHeap, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), GavelCli.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(folder, "out", ".txt");
        Path err = Files.createTempFile(folder, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gavel " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aLargeDirectoryLoadsInASmallHeap() throws Exception {
        Run run = gavel("96m", "check", "--directory", folder.resolve("big").toString(), "--principal",
                directory.sampleUserArn(), "--action", "sts:GetCallerIdentity", "--format", "text");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("allowed       sts:GetCallerIdentity *\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aDirectoryTooLargeForTheHeapIsOneLineNamingGavelJavaOpts() throws Exception {
        Path big = folder.resolve("big");
        Run run = gavel("16m", "check", "--directory", big.toString(), "--principal", directory.sampleUserArn(),
                "--action", "sts:GetCallerIdentity");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("gavel: out of memory loading the directory " + big
                + "; give Java more heap, for example GAVEL_JAVA_OPTS=-Xmx1g\n");
    }
}
