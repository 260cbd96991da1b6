package dev.gavel.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.bench.DirectoryGenerator;
import dev.gavel.eval.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated directories that loads are measured on: the same for a seed, and valid. */
class GeneratedDirectoryTest {

    @Test
    void aSeedGivesTheSameDirectoryAndItLoadsWithoutProblems(@TempDir Path folder) throws Exception {
        DirectoryGenerator.Summary first = DirectoryGenerator.generate(folder.resolve("a"), 2_000, 42);
        DirectoryGenerator.Summary again = DirectoryGenerator.generate(folder.resolve("b"), 2_000, 42);
        DirectoryGenerator.Summary other = DirectoryGenerator.generate(folder.resolve("c"), 2_000, 43);
        for (String name : new String[] {"accounts/" + first.accountId() + ".json", "access-keys.json",
            "mfa-devices.json", "session-keys.json"}) {
            assertThat(Files.readAllBytes(folder.resolve("b").resolve(name)))
                    .isEqualTo(Files.readAllBytes(folder.resolve("a").resolve(name)));
        }
        assertThat(other.accountId()).isNotEqualTo(first.accountId());

        Directory directory = DirectoryLoader.load(folder.resolve("a"));
        Account account = directory.account(first.accountId());
        assertThat(account.users()).hasSize(1_200);
        assertThat(account.roles()).hasSize(800);
        assertThat(first.users() + first.roles()).isEqualTo(2_000);
        assertThat(account.allRoles()).anySatisfy(role -> assertThat(role.trustPolicy().statements().get(0)
                .conditions()).anySatisfy(c -> assertThat(c.key()).isEqualTo("sts:ExternalId")));
        assertThat(account.allRoles()).anySatisfy(role -> assertThat(role.path()).isEqualTo("/service-role/"));
        assertThat(account.users().values()).anySatisfy(user -> assertThat(user.permissionsBoundaryArn()).isNotNull())
                .anySatisfy(user -> assertThat(user.inlinePolicies()).isNotEmpty())
                .anySatisfy(user -> assertThat(user.tags()).isNotEmpty());
        assertThat(account.policies().values()).anySatisfy(policy -> assertThat(policy.awsManaged()).isTrue());
        double bytesPerPrincipal = (double) Files.size(first.accountFile()) / 2_000;
        assertThat(bytesPerPrincipal).isBetween(800.0, 1_100.0);

        // Its principals are decided like any other: the sample user's own groups and policies apply.
        Authorizer authorizer = new Authorizer(directory, Clock.systemUTC());
        Identity user = authorizer.identity(first.sampleUserArn());
        assertThat(authorizer.authorize(user, "sts:GetCallerIdentity", "*", null).decision())
                .isEqualTo(Decision.ALLOWED);
    }
}
