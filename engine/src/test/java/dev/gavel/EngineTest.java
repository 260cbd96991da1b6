package dev.gavel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.Decision;
import dev.gavel.eval.RequestContext;
import dev.gavel.sts.AssumeRoleRequest;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.Sts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API: building, asking, reloading, credentials, failing closed, and checks racing reloads. */
class EngineTest {

    private static final String READ_REPORTS = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::reports/${aws:username}/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}""";
    private static final String DENY_ALL = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "No", "Effect": "Deny", "Action": "*", "Resource": "*"}]}""";
    private static final String TRUST_EC2 = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
             "Action": "sts:AssumeRole"}]}""";
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String OWN_REPORT = "arn:aws:s3:::reports/alice/q3.csv";

    static Directory directory(boolean denyAll) throws DirectoryException {
        return Directory.builder()
                .account("111122223333", account -> {
                    account.managedPolicy("ReadReports", READ_REPORTS).managedPolicy("DenyAll", DENY_ALL)
                            .group("analysts", group -> group.attach("ReadReports"))
                            .user("alice", user -> {
                                user.group("analysts").tag("team", "payments");
                                if (denyAll) {
                                    user.attach("DenyAll");
                                }
                            })
                            .role("AppRole", TRUST_EC2, role -> role.attach("ReadReports"));
                })
                .build();
    }

    @Test
    void anAnonymousCallerIsAllowedOnlyByTheResourcesOwnPolicyWithinTheRcpsAndNeverBoundBySCPs() throws Exception {
        String publicRead = """
                {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/public/*"},
                 {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/public/*",
                  "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}""";
        String fullAccess = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}""";
        String denyEverything = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}""";
        String noDrafts = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::site/public/drafts/*"}]}""";
        Directory directory = Directory.builder()
                .organization("o-example", "999988887777", org -> org.scp("FullAccess", fullAccess, true)
                        .scp("DenyEverything", denyEverything, false).rcp("NoDrafts", noDrafts, true)
                        .unit("Web", List.of("FullAccess", "DenyEverything"), List.of("111122223333")))
                .account("111122223333", account -> account.user("alice", user -> {}))
                .resourcePolicy("arn:aws:s3:::site", "111122223333", publicRead)
                .build();
        Engine engine = Engine.of(directory);
        RequestContext inside = RequestContext.builder().put("aws:SourceIp", "203.0.113.7").build();
        RequestContext outside = RequestContext.builder().put("aws:SourceIp", "198.51.100.7").build();

        Answer allowed = engine.explainAnonymous("s3:GetObject", "arn:aws:s3:::site/public/index.html", inside);
        assertThat(allowed.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(allowed.version()).isEqualTo(engine.version());
        assertThat(engine.explainAnonymous("s3:GetObject", "arn:aws:s3:::site/public/index.html", outside)
                .decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(engine.explainAnonymous("s3:GetObject", "arn:aws:s3:::site/private/keys.txt", inside)
                .decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(engine.explainAnonymous("s3:PutObject", "arn:aws:s3:::site/public/index.html", inside)
                .decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(engine.explainAnonymous("s3:GetObject", "arn:aws:s3:::site/public/drafts/next.html", inside)
                .decision()).as("the bucket account's RCP binds anonymous callers")
                .isEqualTo(Decision.EXPLICIT_DENY);
        assertThatThrownBy(() -> engine.explainAnonymous("s3:GetObject", "arn:aws:s3:::site/public/a",
                RequestContext.builder().put("aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice").build()))
                .isInstanceOf(RequestException.class).hasMessageContaining("aws:PrincipalArn");
    }

    @Test
    void aDirectoryBuiltInCodeAnswersPreparedChecks() throws Exception {
        Engine engine = Engine.of(directory(false));
        Principal alice = engine.principal(ALICE);
        Action get = engine.action("s3:GetObject");
        CheckContext context = engine.newContext().put("aws:SecureTransport", "true");
        Answer answer = alice.check(get, OWN_REPORT, context);
        assertThat(answer.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(answer.version()).isEqualTo(engine.version());
        assertThat(answer.failed()).isFalse();
        assertThat(alice.check(get, "arn:aws:s3:::reports/bob/q3.csv", context).decision())
                .isEqualTo(Decision.IMPLICIT_DENY);
        context.clear().put("aws:SecureTransport", "false");
        assertThat(alice.check(get, OWN_REPORT, context).decision()).isEqualTo(Decision.IMPLICIT_DENY);
        // The same prepared answers are shared: a check returns one without allocating.
        assertThat(alice.check(get, OWN_REPORT, context)).isSameAs(alice.check(get, OWN_REPORT, context));
        assertThat(engine.action("S3:GETOBJECT")).isSameAs(get);
    }

    /** The README's "Embedding Gavel" example, as written there. */
    @Test
    void theReadmeExampleAnswersAsTheReadmeSays() throws Exception {
        Engine engine = Engine.open(Path.of("corpus/demo"));
        Answer answer = engine.check("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
                "arn:aws:s3:::example-payments-data/orders/1.csv",
                RequestContext.builder().put("aws:SecureTransport", "true").put("aws:RequestedRegion", "eu-west-1")
                        .build());
        assertThat(answer.allowed()).isTrue();
        assertThat(answer.version()).isEqualTo(engine.version());
        Principal alice = engine.principal("arn:aws:iam::111122223333:user/alice");
        Action getObject = engine.action("s3:GetObject");
        ContextKey sourceIp = engine.contextKey("aws:SourceIp");
        CheckContext context = engine.newContext();
        context.clear().put(sourceIp, "203.0.113.7").put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1");
        assertThat(alice.check(getObject, "arn:aws:s3:::example-payments-data/orders/1.csv", context).allowed())
                .isTrue();
        Answer why = alice.explain(getObject, "arn:aws:s3:::example-payments-data/orders/1.csv", context);
        assertThat(why.explanation().statements()).singleElement().satisfies(statement -> {
            assertThat(statement.policy()).isEqualTo("arn:aws:iam::111122223333:policy/DeveloperAccess");
            assertThat(statement.statement()).isEqualTo("PaymentsDataReadWrite");
            assertThat(statement.location().line() + ":" + statement.location().column()).isEqualTo("618:29");
        });
        Answer[] answers = new Answer[2];
        alice.checkAll(new Action[] {getObject, engine.action("s3:DeleteObject")},
                new String[] {"arn:aws:s3:::example-payments-data/a", "arn:aws:s3:::example-payments-data/b"}, 2,
                context, answers);
        assertThat(answers).extracting(Answer::decision).containsExactly(Decision.ALLOWED, Decision.IMPLICIT_DENY);
    }

    @Test
    void explanationsNameTheDecisiveStatement() throws Exception {
        Engine engine = Engine.of(directory(false));
        Answer answer = engine.explain(ALICE, "s3:GetObject", OWN_REPORT,
                RequestContext.builder().put("aws:SecureTransport", "true").build());
        assertThat(answer.explanation().statements()).singleElement().satisfies(statement -> {
            assertThat(statement.policy()).isEqualTo("arn:aws:iam::111122223333:policy/ReadReports");
            assertThat(statement.statement()).isEqualTo("Read");
            assertThat(statement.location().line()).isEqualTo(1);
        });
    }

    @Test
    void aBatchWritesEveryAnswerIntoTheCallersArray() throws Exception {
        Engine engine = Engine.of(directory(false));
        Principal alice = engine.principal(ALICE);
        Action get = engine.action("s3:GetObject");
        Action put = engine.action("s3:PutObject");
        Answer[] answers = new Answer[3];
        alice.checkAll(new Action[] {get, put, get}, new String[] {OWN_REPORT, OWN_REPORT, "arn:aws:s3:::x/y"}, 3,
                engine.newContext().put("aws:SecureTransport", "true"), answers);
        assertThat(answers).extracting(Answer::decision)
                .containsExactly(Decision.ALLOWED, Decision.IMPLICIT_DENY, Decision.IMPLICIT_DENY);
    }

    @Test
    void keysGavelFillsAreRefusedAndErrorsFailClosed() throws Exception {
        Engine engine = Engine.of(directory(false));
        assertThatThrownBy(() -> engine.contextKey("aws:PrincipalTag/team")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is filled from the principal");
        assertThatThrownBy(() -> engine.check(ALICE, "s3:GetObject", OWN_REPORT,
                RequestContext.builder().put("aws:username", "bob").build()))
                .isInstanceOf(RequestException.class).hasMessageStartingWith("context.aws:username");
        assertThatThrownBy(() -> engine.principal("arn:aws:iam::111122223333:role/AppRole"))
                .isInstanceOf(RequestException.class).hasMessageContaining("a role makes no request itself");
        Principal alice = engine.principal(ALICE);
        Answer failed = alice.check(engine.action("s3:GetObject"), null, engine.newContext());
        assertThat(failed.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(failed.failed()).isTrue();
        assertThat(engine.failures()).isEqualTo(1);
    }

    @Test
    void reloadSwapsTheSnapshotAndAFailedLoadKeepsTheOld(@TempDir Path folder) throws Exception {
        copy(Path.of("corpus", "demo"), folder);
        Engine engine = Engine.open(folder);
        Principal alice = engine.principal(ALICE);
        Action delete = engine.action("s3:DeleteObject");
        CheckContext context = engine.newContext().put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1");
        String object = "arn:aws:s3:::example-payments-data/orders/1.csv";
        Answer before = alice.check(delete, object, context);
        assertThat(before.decision()).isEqualTo(Decision.IMPLICIT_DENY);

        // Let alice's boundary allow deletes too: her group's grant now reaches s3:DeleteObject.
        Path account = folder.resolve("accounts/111122223333.json");
        String text = Files.readString(account);
        Files.writeString(account, text.replace("\"Sid\": \"DeveloperCeiling\",\n                                \"Effect\": "
                + "\"Allow\",\n                                \"Action\": [\n", "\"Sid\": \"DeveloperCeiling\",\n"
                + "                                \"Effect\": \"Allow\",\n                                \"Action\": [\n"
                + "                                    \"s3:DeleteObject\",\n"));
        long version = engine.reload();
        assertThat(version).isGreaterThan(before.version());
        Answer after = alice.check(delete, object, context);
        assertThat(after.version()).isEqualTo(version);
        assertThat(after.decision()).isEqualTo(Decision.ALLOWED);

        Files.writeString(account, "{\"UserDetailList\": [");
        assertThatThrownBy(engine::reload).isInstanceOf(DirectoryException.class);
        assertThat(engine.version()).isEqualTo(version);
        assertThat(alice.check(delete, object, context)).isSameAs(after);
    }

    @Test
    void aWatchedFolderReloadsWhenItChangesAndReportsABadChange(@TempDir Path folder) throws Exception {
        copy(Path.of("corpus", "demo"), folder);
        List<DirectoryException> failures = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.open(folder)) {
            long first = engine.version();
            engine.watch(Duration.ofMillis(20), failures::add);
            Path keys = folder.resolve("mfa-devices.json");
            Files.writeString(keys, Files.readString(keys) + "\n");
            await(() -> engine.version() > first);
            long second = engine.version();
            Files.writeString(keys, "{\"MFADevices\": [");
            await(() -> !failures.isEmpty());
            assertThat(engine.version()).isEqualTo(second);
            assertThat(failures.get(0).problems()).singleElement()
                    .satisfies(problem -> assertThat(problem.file()).endsWith("mfa-devices.json"));
        }
    }

    /** Waits up to ten seconds for a condition that a background thread makes true. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited ten seconds").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void credentialsResolveToTheirSessionAndFailClosedWhenTheyExpire() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        Engine engine = Engine.open(Path.of("corpus", "demo"), clock);
        Sts sts = new Sts(engine.directory(), clock, new SecureRandom());
        IssuedSession session = sts.assumeRole(sts.credentials().resolve("AKIAGVD66T24PKKALPTO", null).identity(),
                AssumeRoleRequest.builder("arn:aws:iam::111122223333:role/VendorAuditRole", "audit-2026")
                        .externalId("vendor-7f3a91").build());
        Principal auditor = engine.credentials(session.credentials().accessKeyId(),
                session.credentials().sessionToken());
        assertThat(auditor.arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/VendorAuditRole/audit-2026");
        Action get = engine.action("s3:GetObject");
        CheckContext context = engine.newContext().put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1");
        String report = "arn:aws:s3:::example-payments-reports/2026/q3.csv";
        assertThat(auditor.check(get, report, context).decision()).isEqualTo(Decision.ALLOWED);
        Principal byArn = engine.principal("arn:aws:sts::111122223333:assumed-role/VendorAuditRole/by-arn");
        clock.now = session.credentials().expiration().plusSeconds(1);
        // A session named by its ARN stands for the role's sessions: it does not expire.
        assertThat(byArn.check(get, report, context).failed()).isFalse();
        Answer expired = auditor.check(get, report, context);
        assertThat(expired.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(expired.failed()).isTrue();
        assertThatThrownBy(() -> engine.credentials("AKIA5PVYUYK5GMNDBWHZ", null))
                .hasMessageContaining("security token included in the request is invalid");
    }

    @Test
    void checksRacingReloadsAlwaysAnswerAsTheirReportedSnapshotDecides() throws Exception {
        Directory allowing = directory(false);
        Directory denying = directory(true);
        Engine engine = Engine.of(allowing);
        Map<Long, Decision> expected = new ConcurrentHashMap<>();
        expected.put(engine.version(), Decision.ALLOWED);
        Principal alice = engine.principal(ALICE);
        Action get = engine.action("s3:GetObject");
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Long, Decision> seen = new ConcurrentHashMap<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(2);
        Thread[] readers = new Thread[2];
        for (int t = 0; t < readers.length; t++) {
            readers[t] = new Thread(() -> {
                CheckContext context = engine.newContext().put("aws:SecureTransport", "true");
                started.countDown();
                while (running.get()) {
                    Answer answer = alice.check(get, OWN_REPORT, context);
                    Decision before = seen.putIfAbsent(answer.version(), answer.decision());
                    if (answer.failed() || before != null && before != answer.decision()) {
                        wrong.add(answer.toString());
                    }
                }
            });
            readers[t].start();
        }
        started.await();
        for (int i = 0; i < 200; i++) {
            boolean deny = i % 2 == 0;
            long version = engine.reload(deny ? denying : allowing);
            expected.put(version, deny ? Decision.EXPLICIT_DENY : Decision.ALLOWED);
        }
        running.set(false);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(wrong).isEmpty();
        assertThat(seen).isNotEmpty();
        seen.forEach((version, decision) -> assertThat(decision).as("version " + version)
                .isEqualTo(expected.get(version)));
        assertThat(engine.failures()).isZero();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
