package dev.gavel.cli;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.LoadProblem;
import dev.gavel.eval.RequestContext;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options shared by commands that work on a directory: where it is, and request context. */
final class DirectoryOptions {

    @Option(names = "--directory", required = true, paramLabel = "DIR",
            description = "The directory: a folder (accounts/, access keys, providers, resource policies, "
                    + "organization), or one JSON file from 'aws iam get-account-authorization-details'. A large one "
                    + "needs heap: see GAVEL_JAVA_OPTS in 'gavel --help'.")
    Path directory;

    @Option(names = "--context", paramLabel = "KEY=VALUE",
            description = "A request fact such as aws:SourceIp=192.0.2.1; repeat a key for a multivalued key, "
                    + "or give [v1,v2].")
    List<String> context = new ArrayList<>();

    /**
     * The loaded directory, or null after printing every problem to {@code err}. Running out of
     * memory is rethrown saying which directory was being loaded.
     */
    Directory load(PrintWriter err) {
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
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, Boolean> multivalued = new LinkedHashMap<>();
        for (String pair : context) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                err.println("gavel: --context " + pair + ": expected KEY=VALUE");
                return null;
            }
            String key = pair.substring(0, equals);
            String value = pair.substring(equals + 1);
            if (value.startsWith("[") && value.endsWith("]")) {
                multivalued.put(key, true);
                String inner = value.substring(1, value.length() - 1);
                values.computeIfAbsent(key, k -> new ArrayList<>())
                        .addAll(inner.isEmpty() ? List.of() : List.of(inner.split(",", -1)));
            } else {
                multivalued.merge(key, values.containsKey(key), Boolean::logicalOr);
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        RequestContext.Builder builder = RequestContext.builder();
        values.forEach((key, list) -> {
            if (multivalued.get(key)) {
                builder.putMultivalued(key, list);
            } else {
                builder.put(key, list.get(0));
            }
        });
        return builder.build();
    }
}
