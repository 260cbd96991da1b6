package dev.gavel.sidecar;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system programs that tests need: installs a Debian package with {@code apt-get} (as
 * root, the way CI runs), and runs a command to its end. Each answers null when it worked, else
 * why not, in words a skipped test can print.
 */
public final class DebianPackages {

    private static final long INSTALL_SECONDS = TimeUnit.MINUTES.toSeconds(10);
    private static final Path APT_GET = Path.of("/usr/bin/apt-get");

    private DebianPackages() {}

    /**
     * {@code apt-get install -y PACKAGE}, and {@code apt-get update} then again if that fails;
     * null when it worked, else why not.
     */
    public static String install(String name) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the tests do not run as root, so apt-get cannot install " + name;
        }
        if (!Files.isExecutable(APT_GET)) {
            return "there is no apt-get (" + APT_GET + ") to install " + name + " with";
        }
        Map<String, String> quiet = Map.of("DEBIAN_FRONTEND", "noninteractive");
        String failure = run(INSTALL_SECONDS, quiet, APT_GET.toString(), "install", "-y", name);
        if (failure != null) {
            run(INSTALL_SECONDS, quiet, APT_GET.toString(), "update");
            failure = run(INSTALL_SECONDS, quiet, APT_GET.toString(), "install", "-y", name);
        }
        return failure;
    }

    /** Runs a command to its end, its output set aside; null when it exited 0, else why not (with the end of its output). */
    public static String run(long timeoutSeconds, Map<String, String> environment, String... line) {
        try {
            Path log = Files.createTempFile("gavel-test-command", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return String.join(" ", line) + " did not finish in " + timeoutSeconds + " s";
                }
                if (process.exitValue() == 0) {
                    return null;
                }
                String output = Files.readString(log, StandardCharsets.UTF_8).strip();
                return String.join(" ", line) + " exited with " + process.exitValue() + ": "
                        + output.substring(Math.max(0, output.length() - 400));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return String.join(" ", line) + " could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", line) + " was interrupted";
        }
    }
}
