package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis commands from the command line on the two real account dumps of the shared corpus,
 * loaded together: each runs, answers, and exits as documented.
 */
class RealDumpsCommandsTest {

    private static final String ADMIN = "arn:aws:iam::012345678901:user/obama";

    @TempDir
    static Path folder;


    @BeforeAll
    static void copyDumps() throws Exception {
        Path dumps = SharedCorpus.require("corpus/account-dumps");
        Path accounts = Files.createDirectories(folder.resolve("dumps").resolve("accounts"));
        for (String name : new String[] {"012345678901.json", "200611803367.json"}) {
            Files.copy(dumps.resolve(name), accounts.resolve(name));
        }
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String dumps() {
        return folder.resolve("dumps").toString();
    }

    @Test
    void checkWithUnknownContextAnswersForAnAdministrator() {
        CliRun result = run("check", "--directory", dumps(), "--principal", ADMIN, "--action", "s3:GetObject",
                "--resource", "arn:aws:s3:::mybucket/report.csv", "--unknown-context", "--format", "text");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("allowed");
    }

    @Test
    void whoCanListsTheAdministrators() {
        CliRun result = run("who-can", "--directory", dumps(), "--action", "iam:CreateUser", "--resource",
                "arn:aws:iam::012345678901:user/new-user", "--format", "text");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("allowed     user  " + ADMIN);
    }

    @Test
    void whatCanGroupsAnAdministratorsActions() {
        CliRun result = run("what-can", "--directory", dumps(), "--principal", ADMIN, "--service", "iam",
                "--format", "text");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith(ADMIN + " (user) may:\niam\n").contains("CreateUser")
                .contains("identity policy arn:aws:iam::aws:policy/AdministratorAccess");
    }

    @Test
    void diffOfTheDumpsWithThemselvesFindsNothing() {
        CliRun result = run("diff", "--before", dumps(), "--after", dumps());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("0 granted, 0 revoked; compared 0 of 122 principals whose policies "
                + "changed\n");
    }
}
