package dev.gavel.sidecar.source;

import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.LoadProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gavel bundle}: a directory as a bundle for {@code gavel serve --bundle URL}, with its
 * digest file and, when asked, its signature; or a new Ed25519 key pair to sign bundles with.
 *
 * <p>The bundle is built first, then extracted and loaded exactly as an instance would (same
 * extraction, same default limits), so what is written is what loads: a directory with problems,
 * or one that instances would refuse, writes nothing. The files are written so that no reader
 * sees half of one (each to a temporary name, then renamed), and in the order a publisher should
 * upload them: the digest and the signature first, the bundle last.
 */
@Command(name = "bundle",
        mixinStandardHelpOptions = true,
        description = {
            "Make a bundle of a directory for 'gavel serve --bundle URL', or a key pair.",
            "",
            "Packs the files Gavel reads (*.json, accounts/*.json) as a tar.gz, the same",
            "bytes for the same files, and writes FILE, FILE.sha256 (as sha256sum prints",
            "it) and, with --sign-key, FILE.sig (an Ed25519 signature of FILE, base64).",
            "The bundle is loaded as instances load it first: if the directory has",
            "problems, nothing is written. Publish the files side by side on any web",
            "server or object store, FILE last.",
            "",
            "--generate-key PREFIX writes an Ed25519 key pair: PREFIX.pem (private, for",
            "--sign-key) and PREFIX.pub.pem (public, for gavel serve --bundle-public-key).",
            "Keys from 'openssl genpkey -algorithm ed25519' work too."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the files were written",
            "2:the command line was wrong, or the directory or a key could not be read or did not load"
        })
public final class BundleCommand implements Callable<Integer> {

    private static final int OK = 0;
    private static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "The directory: a folder, or one account file (aws iam get-account-authorization-details).")
    private Path directory;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The bundle to write, as bundle.tar.gz.")
    private Path output;

    @Option(names = "--sign-key", paramLabel = "KEY.pem",
            description = "Sign the bundle with this Ed25519 private key (PEM, PKCS#8), writing FILE.sig.")
    private Path signKey;

    @Option(names = "--generate-key", paramLabel = "PREFIX",
            description = "Write a new Ed25519 key pair to PREFIX.pem and PREFIX.pub.pem, and nothing else.")
    private Path generateKey;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (generateKey != null) {
                if (directory != null || output != null || signKey != null) {
                    return fail(err, "--generate-key PREFIX makes a key pair and takes no DIR, -o or --sign-key");
                }
                return generate(out, err);
            }
            if (directory == null || output == null) {
                return fail(err, "give the directory and the bundle to write: gavel bundle DIR -o FILE "
                        + "(or --generate-key PREFIX)");
            }
            return bundle(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int bundle(PrintWriter out, PrintWriter err) {
        if (!Files.exists(directory)) {
            return fail(err, "no directory folder or account file at " + directory);
        }
        PrivateKey key = null;
        if (signKey != null) {
            try {
                key = Ed25519Keys.readPrivate(signKey);
            } catch (SourceException e) {
                return fail(err, e.getMessage());
            }
        }
        Path target = output.toAbsolutePath();
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            return fail(err, "cannot write " + output + ": its folder does not exist");
        }
        Path bundle = null;
        Path check = null;
        try {
            List<DirectoryFiles.Entry> files = DirectoryFiles.list(directory);
            if (files.isEmpty()) {
                return refuseUnloadable(err);
            }
            bundle = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp");
            MessageDigest digest = DirectoryFiles.sha256();
            try (OutputStream file = new DigestOutputStream(Files.newOutputStream(bundle), digest)) {
                BundleArchive.write(files, file);
            }
            String hex = HexFormat.of().formatHex(digest.digest());
            long size = Files.size(bundle);
            BundleLimits limits = BundleLimits.DEFAULT;
            if (size > limits.maxBundleBytes()) {
                return fail(err, "the bundle would be " + size + " bytes, more than the " + limits.maxBundleBytes()
                        + " that instances download; nothing was written");
            }
            check = Files.createTempDirectory("gavel-bundle-check-");
            Path extracted;
            try {
                extracted = BundleArchive.extract(bundle, check, limits);
            } catch (SourceException e) {
                return fail(err, "instances would refuse this bundle: " + e.getMessage() + "; nothing was written");
            }
            Path shownRoot = Files.isRegularFile(directory) ? directory.getParent() : directory;
            try {
                BundleArchive.load(extracted, check, shownRoot == null ? "." : shownRoot.toString(), "");
            } catch (SourceException e) {
                return printProblems(err, e.problems());
            }
            String name = target.getFileName().toString();
            writeAtomically(Path.of(target + ".sha256"), Checksums.fileText(hex, name).getBytes(StandardCharsets.UTF_8));
            Path signatureFile = Path.of(target + ".sig");
            boolean staleSignature = false;
            if (key != null) {
                writeAtomically(signatureFile, Ed25519Keys.signatureText(Ed25519Keys.sign(key, bundle))
                        .getBytes(StandardCharsets.US_ASCII));
            } else {
                staleSignature = Files.deleteIfExists(signatureFile);
            }
            move(bundle, target);
            bundle = null;
            out.println("wrote " + output + ": " + files.size() + (files.size() == 1 ? " file, " : " files, ") + size
                    + " bytes");
            out.println("wrote " + output + ".sha256: sha256:" + hex + " (the version instances serving it report)");
            if (key != null) {
                out.println("wrote " + output + ".sig: its Ed25519 signature, base64");
            } else if (staleSignature) {
                out.println("removed " + output + ".sig, which signed an earlier bundle");
            }
            return OK;
        } catch (IOException e) {
            return fail(err, "cannot bundle " + directory + " into " + output + ": " + BundleArchive.message(e));
        } finally {
            if (bundle != null) {
                try {
                    Files.deleteIfExists(bundle);
                } catch (IOException e) {
                    // Leaves a hidden temporary file beside FILE; nothing else.
                }
            }
            BundleArchive.delete(check);
        }
    }

    /** A directory with no files to bundle: the loader's own problems say what it lacks. */
    private int refuseUnloadable(PrintWriter err) {
        try {
            DirectoryLoader.loadFolderOrDump(directory);
            return fail(err, directory + " holds no directory files to bundle");
        } catch (DirectoryException e) {
            return printProblems(err, e.problems());
        }
    }

    private int printProblems(PrintWriter err, List<LoadProblem> problems) {
        for (LoadProblem problem : problems) {
            err.println(problem.format());
        }
        return fail(err, "the directory " + directory + " did not load: " + FolderSource.count(problems.size())
                + "; nothing was written");
    }

    private int generate(PrintWriter out, PrintWriter err) {
        Path privateFile = Path.of(generateKey + ".pem");
        Path publicFile = Path.of(generateKey + ".pub.pem");
        for (Path file : List.of(privateFile, publicFile)) {
            if (Files.exists(file)) {
                return fail(err, file + " already exists; choose another PREFIX, or move it away");
            }
        }
        KeyPair pair = Ed25519Keys.generate();
        try {
            try {
                Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(privateFile);
            }
            Files.writeString(privateFile, Ed25519Keys.pem(pair.getPrivate()), StandardCharsets.US_ASCII);
            Files.writeString(publicFile, Ed25519Keys.pem(pair.getPublic()), StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            return fail(err, e.getFile() + " already exists; choose another PREFIX, or move it away");
        } catch (IOException e) {
            return fail(err, "cannot write the key pair " + generateKey + ": " + BundleArchive.message(e));
        }
        out.println("wrote " + privateFile + ": the private key; keep it secret. Sign with: gavel bundle DIR -o FILE "
                + "--sign-key " + privateFile);
        out.println("wrote " + publicFile + ": the public key. Verify with: gavel serve --bundle URL "
                + "--bundle-public-key " + publicFile);
        return OK;
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".",
                ".tmp");
        try {
            Files.write(temporary, content);
            move(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Moves a finished file into place, readable by all: the files are published as they are, and
     * a temporary file is made readable by its owner only.
     */
    private static void move(Path from, Path to) throws IOException {
        try {
            Files.setPosixFilePermissions(from, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own defaults apply.
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("gavel bundle: " + message);
        return USAGE;
    }
}
