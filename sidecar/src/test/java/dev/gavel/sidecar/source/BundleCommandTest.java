package dev.gavel.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gavel.sidecar.SidecarCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gavel bundle}: the same bytes for the same files, what it refuses, keys, and OpenSSL's keys and signatures. */
class BundleCommandTest {

    @TempDir
    Path temp;

    /** What one command line printed, and its exit code. */
    record Run(int exit, String out, String err) {}

    private static Run gavel(String... args) {
        CommandLine commandLine = SidecarCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path unsigned(Path folder, String name) {
        Path bundle = temp.resolve(name);
        Run run = gavel("bundle", folder.toString(), "-o", bundle.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        return bundle;
    }

    @Test
    void theSameFilesMakeTheSameBytesWhereverAndWheneverTheyAre() throws Exception {
        Path one = Bundles.demo(temp.resolve("one"));
        Path two = Bundles.demo(temp.resolve("somewhere/else"));
        Files.setLastModifiedTime(two.resolve("session-keys.json"), FileTime.from(Instant.parse("2019-05-01T00:00:00Z")));
        Files.writeString(two.resolve("README.md"), "not part of the directory");

        Path first = unsigned(one, "first.tar.gz");
        Path second = unsigned(one, "second.tar.gz");
        Path third = unsigned(two, "third.tar.gz");
        byte[] bytes = Files.readAllBytes(first);
        assertThat(Files.readAllBytes(second)).isEqualTo(bytes);
        assertThat(Files.readAllBytes(third)).isEqualTo(bytes);

        String hex = Bundles.sha256(bytes);
        assertThat(Files.readString(temp.resolve("first.tar.gz.sha256"))).isEqualTo(hex + "  first.tar.gz\n");
        assertThat(temp.resolve("first.tar.gz.sig")).doesNotExist();
        assertThat(Files.getPosixFilePermissions(first)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        try (var left = Files.list(temp)) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }

        Run run = gavel("bundle", one.toString(), "-o", first.toString());
        assertThat(run.out()).isEqualTo("wrote " + first + ": 10 files, " + bytes.length + " bytes\n"
                + "wrote " + first + ".sha256: sha256:" + hex + " (the version instances serving it report)\n");
    }

    @Test
    void anInstanceLoadsWhatItWritesAndReportsTheVersionItPrinted() throws Exception {
        Path bundle = unsigned(Bundles.demo(temp.resolve("demo")), "b.tar.gz");
        try (TestServer server = new TestServer()) {
            server.put("/b.tar.gz", Files.readAllBytes(bundle));
            server.put("/b.tar.gz.sha256", Files.readAllBytes(Path.of(bundle + ".sha256")));
            try (BundleSource source = BundleSource.builder(server.uri("/b.tar.gz")).poll(Duration.ZERO).build()) {
                assertThat(source.load().user(Bundles.ALICE)).isNotNull();
                assertThat(source.contentVersion()).isEqualTo("sha256:" + Bundles.sha256(Files.readAllBytes(bundle)));
            }
        }
    }

    @Test
    void aDirectoryWithProblemsWritesNothingAndNamesThemInTheFolder() throws Exception {
        Path folder = Bundles.demo(temp.resolve("demo"));
        Files.writeString(folder.resolve("mfa-devices.json"), "{\"MFADevices\": [");
        Files.writeString(folder.resolve("acess-keys.json"), "{}");
        Path bundle = temp.resolve("b.tar.gz");
        Run run = gavel("bundle", folder.toString(), "-o", bundle.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(folder.resolve("acess-keys.json") + ":0:0: unknown directory file")
                .contains("\n" + folder.resolve("mfa-devices.json") + ":")
                .endsWith("gavel bundle: the directory " + folder + " did not load: 2 problems; nothing was written\n");
        try (var left = Files.list(temp)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly("demo");
        }
    }

    @Test
    void whatItRefuses() throws Exception {
        Path folder = Bundles.demo(temp.resolve("demo"));
        Path publicKey = temp.resolve("k.pub.pem");
        Files.writeString(publicKey, Ed25519Keys.pem(Ed25519Keys.generate().getPublic()));
        Path empty = Files.createDirectory(temp.resolve("empty"));
        String out = temp.resolve("b.tar.gz").toString();
        String[][] cases = {
            {"give the directory and the bundle to write: gavel bundle DIR -o FILE (or --generate-key PREFIX)",
                "bundle", folder.toString()},
            {"no directory folder or account file at " + temp.resolve("nothing"),
                "bundle", temp.resolve("nothing").toString(), "-o", out},
            {"the key file " + publicKey + " holds a public key; signing needs the private key (PREFIX.pem)",
                "bundle", folder.toString(), "-o", out, "--sign-key", publicKey.toString()},
            {"cannot write " + temp.resolve("no/b.tar.gz") + ": its folder does not exist",
                "bundle", folder.toString(), "-o", temp.resolve("no/b.tar.gz").toString()},
            {"--generate-key PREFIX makes a key pair and takes no DIR, -o or --sign-key",
                "bundle", folder.toString(), "--generate-key", temp.resolve("k").toString()},
            {"the directory " + empty + " did not load: 1 problem; nothing was written",
                "bundle", empty.toString(), "-o", out},
        };
        for (String[] refusal : cases) {
            String[] args = java.util.Arrays.copyOfRange(refusal, 1, refusal.length);
            Run run = gavel(args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).as(String.join(" ", args)).endsWith("gavel bundle: " + refusal[0] + "\n");
        }
        try (var left = Files.list(temp)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("demo", "empty", "k.pub.pem");
        }
    }

    @Test
    void signedBundlesAndGeneratedKeys() throws Exception {
        Path folder = Bundles.demo(temp.resolve("demo"));
        Path prefix = temp.resolve("fleet");
        Run generated = gavel("bundle", "--generate-key", prefix.toString());
        assertThat(generated.exit()).isZero();
        assertThat(generated.out()).startsWith("wrote " + prefix + ".pem: the private key; keep it secret.");
        Path privateKey = Path.of(prefix + ".pem");
        Path publicKey = Path.of(prefix + ".pub.pem");
        assertThat(Files.getPosixFilePermissions(privateKey)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(publicKey)).startsWith("-----BEGIN PUBLIC KEY-----\n");

        Run again = gavel("bundle", "--generate-key", prefix.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("gavel bundle: " + privateKey + " already exists; choose another PREFIX, or "
                + "move it away\n");

        Path bundle = temp.resolve("b.tar.gz");
        Run signed = gavel("bundle", folder.toString(), "-o", bundle.toString(), "--sign-key", privateKey.toString());
        assertThat(signed.exit()).isZero();
        assertThat(signed.out()).endsWith("wrote " + bundle + ".sig: its Ed25519 signature, base64\n");
        byte[] signature = Ed25519Keys.parseSignature(Files.readAllBytes(Path.of(bundle + ".sig")));
        assertThat(Ed25519Keys.verify(Ed25519Keys.readPublic(publicKey), bundle, signature)).isTrue();

        Run unsigned = gavel("bundle", folder.toString(), "-o", bundle.toString());
        assertThat(unsigned.out()).endsWith("removed " + bundle + ".sig, which signed an earlier bundle\n");
        assertThat(Path.of(bundle + ".sig")).doesNotExist();
    }

    @Test
    void openSslKeysAndSignaturesWork() throws Exception {
        assumeTrue(openssl("version") == 0, "openssl is not installed");
        Path privateKey = temp.resolve("ossl.pem");
        Path publicKey = temp.resolve("ossl.pub.pem");
        assertThat(openssl("genpkey", "-algorithm", "ed25519", "-out", privateKey.toString())).isZero();
        assertThat(openssl("pkey", "-in", privateKey.toString(), "-pubout", "-out", publicKey.toString())).isZero();

        // gavel signs with OpenSSL's key; OpenSSL verifies the signature.
        Path folder = Bundles.demo(temp.resolve("demo"));
        Path bundle = temp.resolve("b.tar.gz");
        assertThat(gavel("bundle", folder.toString(), "-o", bundle.toString(), "--sign-key", privateKey.toString())
                .exit()).isZero();
        Path raw = temp.resolve("b.tar.gz.sig.raw");
        Files.write(raw, Base64.getDecoder().decode(Files.readString(Path.of(bundle + ".sig")).strip()));
        assertThat(openssl("pkeyutl", "-verify", "-pubin", "-inkey", publicKey.toString(), "-rawin", "-in",
                bundle.toString(), "-sigfile", raw.toString())).isZero();

        // OpenSSL signs (raw bytes); gavel verifies with OpenSSL's public key.
        Path opensslSignature = temp.resolve("openssl.sig");
        assertThat(openssl("pkeyutl", "-sign", "-inkey", privateKey.toString(), "-rawin", "-in", bundle.toString(),
                "-out", opensslSignature.toString())).isZero();
        byte[] signature = Ed25519Keys.parseSignature(Files.readAllBytes(opensslSignature));
        assertThat(Ed25519Keys.verify(Ed25519Keys.readPublic(publicKey), bundle, signature)).isTrue();

        // OpenSSL reads the keys gavel generates.
        Path prefix = temp.resolve("gavel");
        assertThat(gavel("bundle", "--generate-key", prefix.toString()).exit()).isZero();
        assertThat(openssl("pkey", "-in", prefix + ".pem", "-noout")).isZero();
        assertThat(openssl("pkey", "-pubin", "-in", prefix + ".pub.pem", "-noout")).isZero();
    }

    private static int openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return -1;
        }
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Test
    void digestFilesInTheFormatsOfSha256sumAndBsd() {
        String hex = "e778a71c9944348401ca8c03de31d654f5ffb0028a1906fbca1568060dffd04e";
        for (String file : List.of(hex + "  b.tar.gz\n", hex + " *b.tar.gz", hex.toUpperCase(java.util.Locale.ROOT),
                "SHA256 (b.tar.gz) = " + hex + "\n", "SHA2-256(b.tar.gz)= " + hex)) {
            assertThat(Checksums.parseFile(file.getBytes(StandardCharsets.UTF_8))).as(file).isEqualTo(hex);
        }
        assertThat(Checksums.parseFile("not a digest".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Checksums.parsePin("sha256:" + hex)).isEqualTo(hex);
        assertThat(Checksums.parsePin(hex.substring(1))).isNull();
    }
}
