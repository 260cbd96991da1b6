package dev.gavel.sidecar.source;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A directory folder, or one account file, on this machine: loaded at start-up and again when its
 * files change. A check reads the names, sizes and modification times of the files the directory
 * consists of; only when they differ are the files read, and only when their content differs
 * from what is served is the directory loaded and delivered. A version that does not load is
 * reported once and not retried until the files change again. The files' sizes and times are
 * read before their content, so a write that lands while a version loads is seen at the next check.
 *
 * <p>The content version is {@code files-sha256:HEX}, a digest of the files' names and bytes, so
 * instances that hold the same files report the same version wherever their folder is.
 */
public final class FolderSource extends PollingSource {

    private final Path path;
    private String seen;
    private SourceException refused;

    private FolderSource(Path path, Duration interval, Clock clock) {
        super("folder " + path, interval, clock, 1, duration -> { });
        this.path = path;
    }

    /** A folder (or account file) checked every {@code interval}; zero checks only when polled. */
    public static FolderSource of(Path path, Duration interval) {
        return new FolderSource(path, interval, Clock.systemUTC());
    }

    static FolderSource of(Path path, Duration interval, Clock clock) {
        return new FolderSource(path, interval, clock);
    }

    @Override
    Fetched fetch(String served) throws SourceException {
        String stat = DirectoryFiles.stat(path);
        if (served != null && stat.equals(seen)) {
            if (refused != null) {
                throw refused;
            }
            return null;
        }
        String version;
        Directory directory;
        try {
            version = DirectoryFiles.contentVersion(path);
            if (version.equals(served)) {
                seen = stat;
                refused = null;
                return null;
            }
            directory = DirectoryLoader.loadFolderOrDump(path);
        } catch (IOException e) {
            throw remember(stat, new SourceException(SourceException.Reason.UNREADABLE, "cannot read the directory "
                    + path + ": " + e, e));
        } catch (DirectoryException e) {
            throw remember(stat, new SourceException(SourceException.Reason.LOAD_PROBLEMS, "the directory " + path
                    + " did not load: " + count(e.problems().size()), e.problems()));
        }
        return new Fetched(directory, version, () -> {
            seen = stat;
            refused = null;
        });
    }

    private SourceException remember(String stat, SourceException failure) {
        seen = stat;
        refused = failure;
        return failure;
    }

    static String count(int problems) {
        return problems + (problems == 1 ? " problem" : " problems");
    }
}
