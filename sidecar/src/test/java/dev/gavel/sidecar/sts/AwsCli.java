package dev.gavel.sidecar.sts;

import dev.gavel.sidecar.DebianPackages;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The AWS CLI ({@code aws}) as a subprocess, with no profile, config file or instance metadata:
 * only the credentials a test gives it, in its environment. {@link #locate()} takes Debian's
 * {@code awscli} package (version 2), installing it when it can.
 */
final class AwsCli {

    /** What a run printed, and how it ended. */
    record Result(int exitCode, String out, String err) {}

    /** Where Debian's {@code awscli} package puts the CLI. */
    private static final Path DEBIAN = Path.of("/usr/bin/aws");
    private static final long RUN_SECONDS = 120;

    private final String command;

    private AwsCli(String command) {
        this.command = command;
    }

    /**
     * Debian's {@code awscli} (version 2, {@code /usr/bin/aws}), installed with
     * {@code apt-get install -y awscli} (and {@code apt-get update} if the first try fails) when
     * missing, which works as root; when it cannot be installed, any other CLI on the PATH.
     *
     * @throws IllegalStateException with the reason when there is no CLI and none could be installed
     */
    static AwsCli locate() {
        String failure = works(DEBIAN.toString()) ? null : DebianPackages.install("awscli");
        if (works(DEBIAN.toString())) {
            return new AwsCli(DEBIAN.toString());
        }
        String found = onPath("aws");
        if (found != null && works(found)) {
            return new AwsCli(found);
        }
        throw new IllegalStateException("Debian's awscli (" + DEBIAN + ") is not installed and could not be"
                + (failure == null ? "" : ": " + failure) + "; and no other AWS CLI (aws) is on the PATH");
    }

    /**
     * Runs {@code aws ARGS... --output json} with these environment variables (credentials, a
     * session token) and nothing of the user's AWS configuration.
     */
    Result run(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(command);
        line.addAll(List.of(arguments));
        line.add("--output");
        line.add("json");
        ProcessBuilder builder = new ProcessBuilder(line);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_CONFIG_FILE", "/nonexistent/gavel-test/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/gavel-test/aws-credentials");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        env.putAll(environment);
        Path out = Files.createTempFile("aws-cli", ".out");
        Path err = Files.createTempFile("aws-cli", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("aws " + String.join(" ", arguments) + " did not finish in "
                        + RUN_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Whether {@code aws --version} runs: a pyenv shim may stand for a CLI that is not installed. */
    private static boolean works(String aws) {
        return Files.isExecutable(Path.of(aws)) && DebianPackages.run(RUN_SECONDS, Map.of(), aws, "--version") == null;
    }
}
