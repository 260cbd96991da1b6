package dev.gavel.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.sidecar.source.SourceException.Reason;
import dev.gavel.cli.DurationConverter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The options {@code gavel serve} takes for its directory, as a picocli mixin. */
class SourceOptionsTest {

    @Command(name = "serve")
    static final class Serve {
        @Mixin
        SourceOptions source;
    }

    private static SourceOptions parse(String... args) {
        Serve serve = new Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.source;
    }

    @Test
    void aBundleURLWithItsOptionsMakesABundleSource() throws Exception {
        SourceOptions options = parse("--bundle", "https://cdn.example.com/gavel/bundle.tar.gz?token=t",
                "--bundle-sha256", "e778a71c9944348401ca8c03de31d654f5ffb0028a1906fbca1568060dffd04e",
                "--bundle-poll", "1m");
        assertThat(options.bundlePoll).isEqualTo(Duration.ofMinutes(1));
        try (DirectorySource source = options.open()) {
            assertThat(source).isInstanceOf(BundleSource.class);
            assertThat(source.description()).isEqualTo("bundle https://cdn.example.com/gavel/bundle.tar.gz?...");
            assertThat(source.contentVersion()).isNull();
        }
    }

    @Test
    void aFolderMakesAFolderSource() throws Exception {
        try (DirectorySource source = parse("--directory", "corpus/demo", "--directory-poll", "0").open()) {
            assertThat(source).isInstanceOf(FolderSource.class);
        }
    }

    @Test
    void aPollIntervalOfTheOtherKindIsRefused() {
        assertThatThrownBy(() -> parse("--directory", "corpus/demo", "--bundle-poll", "10s").open())
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
                    assertThat(e.getMessage()).isEqualTo("--bundle-poll applies to --bundle; a folder is checked every "
                            + "--directory-poll");
                });
    }

    @Test
    void durationsReadAsTheOtherCommandsReadThem() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("0")).isZero();
        assertThatThrownBy(() -> parse("--bundle", "https://h/b.tar.gz", "--bundle-poll", "30"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'30' is not a duration; expected a whole number with ms, s, m or h, such as 500ms, "
                        + "30s or 5m, or 0");
    }
}
