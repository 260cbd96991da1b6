package dev.gavel.cli;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.LoadProblem;
import dev.gavel.eval.RequestContext;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options shared by commands that work on a directory: where it is, and request context. */
final class DirectoryOptions {

    @Option(names = "--directory", required = true, paramLabel = "DIR",
            description = "The directory: a folder (accounts/, access keys, providers, resource policies, "
                    + "organization), or one JSON file from 'aws iam get-account-authorization-details'. A large one "
                    + "needs heap: see GAVEL_JAVA_OPTS in 'gavel --help'.")
    Path directory;

    @Mixin
    ContextOptions contextOptions = new ContextOptions();

    /**
     * The loaded directory, or null after printing every problem to {@code err}. Running out of
     * memory is rethrown saying which directory was being loaded.
     */
    Directory load(PrintWriter err) {
        return load(directory, err);
    }

    /** As {@link #load(PrintWriter)}, for a directory named some other way. */
    static Directory load(Path directory, PrintWriter err) {
        try {
            return DirectoryLoader.loadFolderOrDump(directory);
        } catch (OutOfMemoryError e) {
            throw new OutOfMemory.While("loading the directory " + directory, e);
        } catch (DirectoryException e) {
            for (LoadProblem problem : e.problems()) {
                err.println(problem.format());
            }
            err.println("gavel: the directory " + directory + " did not load: " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems"));
            return null;
        }
    }

    /** The {@code --context} options as a request context, or null after printing what is wrong. */
    RequestContext requestContext(PrintWriter err) {
        return contextOptions.requestContext(err);
    }
}
