package dev.gavel.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real get-account-authorization-details dumps load unchanged, quirks and all. */
class SharedDumpsTest {

    @Test
    void realDumpsLoadUnchanged(@TempDir Path folder) throws Exception {
        Path dumps = SharedCorpus.require("corpus/account-dumps");
        Files.createDirectories(folder.resolve("accounts"));
        for (String name : new String[] {"012345678901.json", "200611803367.json"}) {
            Files.copy(dumps.resolve(name), folder.resolve("accounts").resolve(name));
        }
        Directory directory = DirectoryLoader.load(folder);

        Account small = directory.account("012345678901");
        assertThat(small.users()).hasSize(3);
        assertThat(small.user("OBAMA").groupNames()).containsExactly("admin");
        assertThat(small.user("userwithlotsofpermissions").id()).isEqualTo("ASIAZZUSERZZPLACEHOLDER");
        assertThat(directory.user("arn:aws:iam::012345678901:user/obama")).isNotNull();

        Account real = directory.account("200611803367");
        assertThat(real.users()).hasSize(41);
        assertThat(real.roles()).hasSize(75);
        assertThat(real.policies()).hasSize(56);
        Role sso = real.allRoles().stream().filter(r -> r.path().startsWith("/aws-reserved/")).findFirst().orElseThrow();
        assertThat(directory.role(sso.arn())).isSameAs(sso);
        assertThat(real.allRoles().stream().filter(Role::serviceLinked).count()).isGreaterThanOrEqualTo(5);
        assertThat(real.allRoles()).allSatisfy(role -> assertThat(role.trustPolicy()).isNotNull());
    }

    @Test
    void eachRealDumpIsADirectoryOnItsOwn() throws Exception {
        Path dumps = SharedCorpus.require("corpus/account-dumps");
        Directory small = DirectoryLoader.loadFolderOrDump(dumps.resolve("012345678901.json"));
        assertThat(small.accounts()).singleElement().satisfies(account -> {
            assertThat(account.id()).isEqualTo("012345678901");
            assertThat(account.users()).hasSize(3);
            assertThat(account.user("OBAMA").groupNames()).containsExactly("admin");
        });
        Directory real = DirectoryLoader.loadFolderOrDump(dumps.resolve("200611803367.json"));
        assertThat(real.accounts()).singleElement().satisfies(account -> {
            assertThat(account.id()).isEqualTo("200611803367");
            assertThat(account.users()).hasSize(41);
            assertThat(account.roles()).hasSize(75);
            assertThat(account.policies()).hasSize(56);
        });
        assertThat(real.user("arn:aws:iam::200611803367:user/fn1-privesc3-partial-user")).isNotNull();
    }
}
