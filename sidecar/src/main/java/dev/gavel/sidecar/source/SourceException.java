package dev.gavel.sidecar.source;

import dev.gavel.directory.LoadProblem;
import java.util.List;

/**
 * A directory that a source could not deliver, with a stable reason and a message that says what
 * to do. Nothing of it was loaded: a server keeps serving the directory it has.
 */
public final class SourceException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a directory was not delivered. The names are stable: match on them, not on messages. */
    public enum Reason {
        /** The options are wrong: both or neither of a folder and a URL, a bad digest, an unusable key. */
        CONFIG(false),
        /** The URL did not answer: refused, timed out, unknown host, TLS, connection dropped. */
        UNREACHABLE(true),
        /** The URL answered with a status other than 200 or 304. */
        HTTP_STATUS(false),
        /** The bundle is larger than the download limit. */
        TOO_LARGE(false),
        /** The {@code .sha256} or {@code .sig} file is not in a format Gavel reads. */
        BAD_CHECKSUM_FILE(false),
        /** The bundle's SHA-256 is not the one published or pinned. */
        DIGEST_MISMATCH(false),
        /** The bundle's Ed25519 signature does not verify with the configured public key. */
        BAD_SIGNATURE(false),
        /** The bundle is not a gzip-compressed tar, or is cut short. */
        BAD_ARCHIVE(false),
        /** An entry would write outside the bundle's folder, or is a link or a device. */
        UNSAFE_ENTRY(false),
        /** The bundle expands to more bytes or entries than the limits allow. */
        ARCHIVE_LIMIT(false),
        /** The directory in the bundle or folder has problems; {@link #problems()} lists them. */
        LOAD_PROBLEMS(false),
        /** A local file or folder could not be read or written. */
        UNREADABLE(false),
        /** Java ran out of heap loading or applying the directory. */
        OUT_OF_MEMORY(false),
        /** The new directory was loaded but the server failed to apply it. */
        NOT_APPLIED(false);

        private final boolean transientByNature;

        Reason(boolean transientByNature) {
            this.transientByNature = transientByNature;
        }
    }

    private final Reason reason;
    private final transient List<LoadProblem> problems;
    private final boolean retryable;

    SourceException(Reason reason, String message) {
        this(reason, message, List.of(), reason.transientByNature, null);
    }

    SourceException(Reason reason, String message, boolean retryable) {
        this(reason, message, List.of(), retryable, null);
    }

    SourceException(Reason reason, String message, Throwable cause) {
        this(reason, message, List.of(), reason.transientByNature, cause);
    }

    SourceException(Reason reason, String message, List<LoadProblem> problems) {
        this(reason, message, problems, false, null);
    }

    SourceException(Reason reason, String message, List<LoadProblem> problems, boolean retryable,
            Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.problems = List.copyOf(problems);
        this.retryable = retryable;
    }

    /** Why nothing was delivered. */
    public Reason reason() {
        return reason;
    }

    /** The directory's problems, file by file, for {@link Reason#LOAD_PROBLEMS}; otherwise empty. */
    public List<LoadProblem> problems() {
        return problems;
    }

    /**
     * Whether trying again may help without anyone changing anything: the network, a server error,
     * or a bundle whose published digest or signature is being replaced right now.
     */
    boolean retryable() {
        return retryable;
    }

    /** The message, then each problem on its own line as {@code FILE:LINE:COL: PATH: message}. */
    public String report() {
        StringBuilder out = new StringBuilder(getMessage());
        for (LoadProblem problem : problems) {
            out.append('\n').append(problem.format());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return reason + " " + getMessage();
    }
}
