package dev.gavel.bench;

import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads one directory (a folder, or a single account dump) and prints what the load cost: the time it took, and the heap the loaded
 * directory keeps (used heap after full collections, with nothing else alive). Run it with
 * decreasing {@code -Xmx} to find the smallest heap a load needs:
 *
 * <pre>
 * scripts/generate-directory /tmp/big 100000 42
 * java -Xmx512m -cp benchmarks/target/gavel-benchmarks.jar dev.gavel.bench.DirectoryFootprint /tmp/big
 * </pre>
 *
 * <p>The time is one cold load in a fresh JVM, as the command line does it, not a steady-state
 * figure; {@code DirectoryLoadBenchmark} measures warmed-up loads.
 */
public final class DirectoryFootprint {

    private DirectoryFootprint() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: DirectoryFootprint DIR|DUMP.json");
            System.exit(2);
        }
        long start = System.nanoTime();
        Directory directory;
        try {
            directory = DirectoryLoader.loadFolderOrDump(Path.of(args[0]));
        } catch (DirectoryException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        int users = 0;
        int roles = 0;
        for (Account account : directory.accounts()) {
            users += account.users().size();
            roles += account.roles().size();
        }
        double retained = retainedMiB();
        System.out.printf(Locale.ROOT, "%s: %d users, %d roles; loaded in %d ms; %.1f MiB of heap kept "
                + "(max heap %d MiB)%n", args[0], users, roles, millis, retained,
                Runtime.getRuntime().maxMemory() >> 20);
        Reference.reachabilityFence(directory);
    }

    /** The heap in use once full collections stop freeing anything. */
    private static double retainedMiB() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                break;
            }
            used = now;
        }
        return used / (1024.0 * 1024.0);
    }
}
