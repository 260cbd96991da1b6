package dev.gavel.bench;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time to load a large directory, generated once per trial by {@link DirectoryGenerator}
 * (seed 42), in a heap of 512 MiB: what a reload of a big account costs a serving process. It
 * guards the streaming reader: reading the account file whole needed over 600 MiB for 100,000
 * principals. {@code DirectoryFootprint} measures the heap a load keeps.
 *
 * <p>Run: {@code scripts/bench DirectoryLoadBenchmark} (or {@code -p principals=100000}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class DirectoryLoadBenchmark {

    @Param({"10000", "100000"})
    int principals;

    private Path folder;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        folder = Files.createTempDirectory("gavel-directory-");
        DirectoryGenerator.generate(folder, principals, 42);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Folders.delete(folder);
    }

    @Benchmark
    public Directory load() throws DirectoryException {
        return DirectoryLoader.load(folder);
    }
}
