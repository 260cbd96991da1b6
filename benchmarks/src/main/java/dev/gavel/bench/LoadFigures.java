package dev.gavel.bench;

import dev.gavel.Action;
import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loading and compiling a generated directory of 100,000 principals ({@link DirectoryGenerator},
 * seed 42) in a fresh JVM with a 512 MiB heap: the time to load it and compile a table for every
 * principal (every user, a session of every role, each checked once), and the heap that the
 * engine, its snapshot and every principal's handle then hold (used heap after full
 * collections). Single cold runs, as a process starting or reloading meets them: the time is
 * the best of {@code runs}.
 *
 * <p>Run alone: {@code java -Xmx512m -cp benchmarks/target/gavel-benchmarks.jar
 * dev.gavel.bench.LoadFigures 100000 3}; {@link Summary} runs it in its own JVM.
 */
public final class LoadFigures {

    private LoadFigures() {}

    /** Runs the measure in a forked JVM and adds its figures to the summary. */
    static void measure(boolean quick, Map<String, Object> summary) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), LoadFigures.class.getName(), "100000", quick ? "1" : "3");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println(line);
                last = line;
            }
        }
        if (process.waitFor() != 0 || last == null) {
            throw new IllegalStateException("the load measure failed");
        }
        for (String field : last.split(" ")) {
            String[] pair = field.split("=");
            summary.put(pair[0], Double.parseDouble(pair[1]));
        }
    }

    public static void main(String[] args) throws Exception {
        int principals = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        Path folder = Files.createTempDirectory("gavel-load-");
        try {
            DirectoryGenerator.generate(folder, principals, 42);
            long bestLoad = Long.MAX_VALUE;
            long bestCompile = Long.MAX_VALUE;
            double heap = 0;
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                Directory directory = DirectoryLoader.loadFolderOrDump(folder);
                long loaded = System.nanoTime();
                Engine engine = Engine.of(directory);
                List<Principal> handles = compileEveryone(engine, directory);
                long compiled = System.nanoTime();
                bestLoad = Math.min(bestLoad, loaded - start);
                bestCompile = Math.min(bestCompile, compiled - start);
                heap = retainedMiB();
                System.err.printf(Locale.ROOT, "run %d: loaded in %d ms, loaded and compiled %d principals in %d ms, "
                        + "%.1f MiB kept%n", run + 1, (loaded - start) / 1_000_000, handles.size(),
                        (compiled - start) / 1_000_000, heap);
                Reference.reachabilityFence(engine);
                Reference.reachabilityFence(handles);
            }
            System.out.printf(Locale.ROOT, "load100kPrincipalsMs=%.0f loadAndCompile100kPrincipalsMs=%.0f "
                    + "heap100kPrincipalsMiB=%.1f%n", bestLoad / 1e6, bestCompile / 1e6, heap);
        } finally {
            Folders.delete(folder);
        }
    }

    /** A handle for every user and for a session of every role, each checked once. */
    private static List<Principal> compileEveryone(Engine engine, Directory directory) throws Exception {
        List<Principal> handles = new ArrayList<>();
        Action action = engine.action("s3:GetObject");
        CheckContext context = engine.newContext().put("aws:SecureTransport", "true");
        for (Account account : directory.accounts()) {
            for (User user : account.users().values()) {
                handles.add(engine.principal(user.arn()));
            }
            for (Role role : account.allRoles()) {
                handles.add(engine.principal("arn:aws:sts::" + account.id() + ":assumed-role/" + role.name()
                        + "/load"));
            }
        }
        for (Principal handle : handles) {
            handle.check(action, "arn:aws:s3:::bucket/key", context);
        }
        return handles;
    }

    private static double retainedMiB() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                break;
            }
            used = now;
        }
        return used / (1024.0 * 1024.0);
    }
}
