package dev.gavel.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.directory.Directory;
import dev.gavel.sidecar.source.BundleSourceTest.Recorder;
import dev.gavel.sidecar.source.DirectorySource.Outcome;
import dev.gavel.sidecar.source.SourceException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder source: its content version, reloading on change, and a bad change that keeps the old directory. */
class FolderSourceTest {

    @TempDir
    Path temp;

    @Test
    void theVersionNamesTheFilesContentWhereverTheFolderIs() throws Exception {
        Path one = Bundles.demo(temp.resolve("one"));
        Path two = Bundles.demo(temp.resolve("elsewhere/two"));
        Files.setLastModifiedTime(two.resolve("organization.json"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        try (FolderSource first = FolderSource.of(one, Duration.ZERO);
                FolderSource second = FolderSource.of(two, Duration.ZERO)) {
            Directory directory = first.load();
            second.load();
            assertThat(directory.user(Bundles.ALICE)).isNotNull();
            assertThat(first.contentVersion()).startsWith("files-sha256:").hasSize("files-sha256:".length() + 64)
                    .isEqualTo(second.contentVersion());
            assertThat(first.description()).isEqualTo("folder " + one);
        }
    }

    @Test
    void aChangedFolderReloadsAndATouchOrAnotherFileDoesNot() throws Exception {
        Path folder = Bundles.demo(temp.resolve("demo"));
        Recorder recorder = new Recorder();
        try (FolderSource source = FolderSource.of(folder, Duration.ZERO)) {
            source.load();
            String first = source.contentVersion();
            source.start(recorder);
            assertThat(source.poll()).isEqualTo(Outcome.UNCHANGED);

            Path keys = folder.resolve("mfa-devices.json");
            Files.setLastModifiedTime(keys, FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
            Files.writeString(folder.resolve("README.md"), "edited");
            assertThat(source.poll()).isEqualTo(Outcome.UNCHANGED);
            assertThat(source.contentVersion()).isEqualTo(first);

            Files.writeString(keys, Files.readString(keys) + "\n");
            assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
            assertThat(recorder.versions).singleElement().isNotEqualTo(first).isEqualTo(source.contentVersion());
            assertThat(source.poll()).isEqualTo(Outcome.UNCHANGED);
        }
    }

    @Test
    void aBadChangeIsReportedOnceAndTheOldDirectoryKeepsServingUntilItIsFixed() throws Exception {
        Path folder = Bundles.demo(temp.resolve("demo"));
        Recorder recorder = new Recorder();
        try (FolderSource source = FolderSource.of(folder, Duration.ZERO)) {
            source.load();
            String first = source.contentVersion();
            source.start(recorder);
            Path keys = folder.resolve("mfa-devices.json");
            String good = Files.readString(keys);
            Files.writeString(keys, "{\"MFADevices\": [");
            assertThat(source.poll()).isEqualTo(Outcome.FAILED);
            assertThat(source.poll()).isEqualTo(Outcome.FAILED);
            assertThat(recorder.failures).singleElement().satisfies(failure -> {
                assertThat(failure.reason()).isEqualTo(Reason.LOAD_PROBLEMS);
                assertThat(failure.getMessage()).isEqualTo("the directory " + folder + " did not load: 1 problem");
                assertThat(failure.problems()).singleElement()
                        .satisfies(problem -> assertThat(problem.file()).isEqualTo(keys.toString()));
            });
            assertThat(source.contentVersion()).isEqualTo(first);
            assertThat(source.status().consecutiveFailures()).isEqualTo(2);

            Files.writeString(keys, good + " ");
            assertThat(source.poll()).isEqualTo(Outcome.UPDATED);
            assertThat(recorder.recoveries).hasSize(1);
            assertThat(source.status().healthy()).isTrue();
        }
    }

    @Test
    void anAccountFileOnItsOwnIsADirectory() throws Exception {
        Path dump = Files.copy(Bundles.DEMO.resolve("accounts/111122223333.json"), temp.resolve("account.json"));
        try (FolderSource source = FolderSource.of(dump, Duration.ZERO)) {
            assertThat(source.load().user(Bundles.ALICE)).isNotNull();
        }
    }

    @Test
    void aFolderThatDoesNotLoadAtStartUpSaysWhy() throws Exception {
        try (FolderSource source = FolderSource.of(temp.resolve("missing"), Duration.ZERO)) {
            assertThatThrownBy(source::load).isInstanceOfSatisfying(SourceException.class, failure -> {
                assertThat(failure.reason()).isEqualTo(Reason.LOAD_PROBLEMS);
                assertThat(failure.report()).endsWith("missing:0:0: no directory folder or account dump file here");
            });
        }
    }

    @Test
    void startedWithAnIntervalItChecksByItself() throws Exception {
        Path folder = Bundles.demo(temp.resolve("demo"));
        Recorder recorder = new Recorder();
        try (FolderSource source = FolderSource.of(folder, Duration.ofMillis(10))) {
            source.load();
            source.start(recorder);
            Path keys = folder.resolve("mfa-devices.json");
            Files.writeString(keys, Files.readString(keys) + "\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (recorder.versions.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(recorder.versions).hasSize(1);
            assertThatThrownBy(() -> source.start(recorder)).isInstanceOf(IllegalStateException.class);
        }
    }
}
