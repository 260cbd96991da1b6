package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The analysis commands from the command line on the two real account dumps of the shared corpus,
 * loaded together: each runs, answers, and exits as documented.
 */
class RealDumpsCommandsTest {

    private static final String ADMIN = "arn:aws:iam::012345678901:user/obama";

    @TempDir
    static Path folder;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void copyDumps() throws Exception {
        Path dumps = SharedCorpus.require("corpus/account-dumps");
        Path accounts = Files.createDirectories(folder.resolve("dumps").resolve("accounts"));
        for (String name : new String[] {"012345678901.json", "200611803367.json"}) {
            Files.copy(dumps.resolve(name), accounts.resolve(name));
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = GavelCli.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String dumps() {
        return folder.resolve("dumps").toString();
    }

    @Test
    void checkWithUnknownContextAnswersForAnAdministrator() {
        Run result = run("check", "--directory", dumps(), "--principal", ADMIN, "--action", "s3:GetObject",
                "--resource", "arn:aws:s3:::mybucket/report.csv", "--unknown-context", "--format", "text");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("allowed");
    }

    @Test
    void whoCanListsTheAdministrators() {
        Run result = run("who-can", "--directory", dumps(), "--action", "iam:CreateUser", "--resource",
                "arn:aws:iam::012345678901:user/new-user", "--format", "text");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("allowed     user  " + ADMIN);
    }

    @Test
    void whatCanGroupsAnAdministratorsActions() {
        Run result = run("what-can", "--directory", dumps(), "--principal", ADMIN, "--service", "iam",
                "--format", "text");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith(ADMIN + " (user) may:\niam\n").contains("CreateUser")
                .contains("identity policy arn:aws:iam::aws:policy/AdministratorAccess");
    }

    @Test
    void diffOfTheDumpsWithThemselvesFindsNothing() {
        Run result = run("diff", "--before", dumps(), "--after", dumps());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("0 granted, 0 revoked; compared 0 of 122 principals whose policies "
                + "changed\n");
    }
}
