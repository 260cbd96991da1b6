package dev.gavel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared corpus lives (../shared beside the repository), for tests that need it. */
public final class SharedCorpus {

    /** Tests run with the repository root as working directory (see engine/pom.xml). */
    public static final Path ROOT = Path.of("..", "shared");

    private SharedCorpus() {}

    /** The path under ../shared; skips the calling test with a clear message when it is absent. */
    public static Path require(String relative) {
        Path path = ROOT.resolve(relative);
        assumeTrue(Files.exists(path), "../shared/" + relative + " is not present beside the repository: skipped");
        return path;
    }
}
