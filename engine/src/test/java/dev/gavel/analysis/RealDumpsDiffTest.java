package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.SharedCorpus;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryLoader;
import dev.gavel.directory.User;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.ServiceCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Diff over the two real account dumps of the shared corpus, loaded together, with the shared
 * service catalog: a version against itself changes nothing and compares nobody, and one more
 * action in a customer managed policy is granted to exactly the principals it reaches, and
 * revokes nothing.
 */
class RealDumpsDiffTest {

    private static final String POLICY = "arn:aws:iam::200611803367:policy/privesc4-CreateAccessKey";

    private static Path version(Path folder, String name, boolean edited) throws Exception {
        Path dumps = SharedCorpus.require("corpus/account-dumps");
        Path accounts = Files.createDirectories(folder.resolve(name).resolve("accounts"));
        for (String file : new String[] {"012345678901.json", "200611803367.json"}) {
            String text = Files.readString(dumps.resolve(file));
            if (edited && file.startsWith("200611803367")) {
                String action = "\"Action\": \"iam:CreateAccessKey\"";
                assertThat(text.indexOf(action)).isEqualTo(text.lastIndexOf(action)).isPositive();
                text = text.replace(action, "\"Action\": [\"iam:CreateAccessKey\", \"iam:UpdateLoginProfile\"]");
            }
            Files.writeString(accounts.resolve(file), text);
        }
        return folder.resolve(name);
    }

    @Test
    void oneMoreActionInAManagedPolicyIsGrantedToThePrincipalsItReaches(@TempDir Path folder) throws Exception {
        ServiceCatalog catalog = ServiceCatalog.load(SharedCorpus.require("corpus/service-catalog.json.gz"));
        Directory before = DirectoryLoader.load(version(folder, "before", false));
        Directory after = DirectoryLoader.load(version(folder, "after", true));
        Diff diff = new Diff(catalog);

        DiffReport same = diff.compare(Engine.of(before), Engine.of(before), null, null, RequestContext.empty());
        assertThat(same.changes()).isEmpty();
        assertThat(same.compared()).isZero();
        assertThat(same.principals()).isEqualTo(3 + 3 + 41 + 75);

        DiffReport report = diff.compare(Engine.of(before), Engine.of(after), null, null, RequestContext.empty());
        assertThat(report.newAccess()).isTrue();
        assertThat(report.changes()).allSatisfy(change -> {
            assertThat(change.direction()).isEqualTo(DiffReport.Direction.GRANTED);
            assertThat(change.reach().action()).isEqualTo("iam:UpdateLoginProfile");
        });
        // The policy is attached to users directly and through groups: exactly those may gain it,
        // and those who had it already (administrators) do not appear.
        Set<String> attached = before.account("200611803367").users().values().stream()
                .filter(user -> reaches(before, user)).map(User::arn).collect(Collectors.toSet());
        before.account("200611803367").allRoles().stream().filter(role -> role.attachedPolicyArns().contains(POLICY))
                .forEach(role -> attached.add(role.arn()));
        Set<String> granted = report.changes().stream().map(DiffReport.Change::principal).collect(Collectors.toSet());
        assertThat(granted).isNotEmpty();
        assertThat(attached).containsAll(granted);
        // Only the principals the policy applies to were answered again.
        assertThat(report.compared()).isEqualTo(attached.size());
    }

    private static boolean reaches(Directory directory, User user) {
        if (user.attachedPolicyArns().contains(POLICY)) {
            return true;
        }
        List<String> groups = user.groupNames();
        return groups.stream().anyMatch(name -> directory.account(user.accountId()).group(name)
                .attachedPolicyArns().contains(POLICY));
    }
}
