package dev.gavel.sidecar.binary;

import static dev.gavel.sidecar.TestDirectories.ALICE;
import static dev.gavel.sidecar.TestDirectories.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.eval.Decision;
import dev.gavel.sidecar.TestDirectories;
import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import dev.gavel.sidecar.client.GavelClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once, and reloads while they check: every answer is what its snapshot decides. */
@Timeout(120)
class ServingUnderLoadTest {

    @TempDir
    Path folder;

    /** A mix of checks whose decisions differ between the two directories. */
    private static List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String principal = i % 3 == 0 ? BOB : ALICE;
            String action = i % 4 == 0 ? "s3:ListBucket" : "s3:GetObject";
            String resource = i % 4 == 0 ? "arn:aws:s3:::reports" : "arn:aws:s3:::reports/" + (i % 5 == 0 ? "bob" : "alice")
                    + "/" + i + ".csv";
            Check check = Check.of(principal, action, resource);
            checks.add(i % 7 == 0 ? check : check.with("aws:SecureTransport", "true"));
        }
        return checks;
    }

    /** What each directory decides for each check, found with a separate engine. */
    private static Decision[][] expected(List<Check> checks, Directory... directories) throws Exception {
        Decision[][] decisions = new Decision[directories.length][checks.size()];
        for (int d = 0; d < directories.length; d++) {
            Engine engine = Engine.of(directories[d]);
            for (int i = 0; i < checks.size(); i++) {
                Check check = checks.get(i);
                var context = dev.gavel.eval.RequestContext.builder();
                check.context().forEach(fact -> context.put(fact.key(), fact.values().get(0)));
                decisions[d][i] = engine.check(check.principal(), check.action(), check.resource(), context.build())
                        .decision();
            }
        }
        return decisions;
    }

    @Test
    void manyClientsAtOnceGetTheirOwnAnswers() throws Exception {
        List<Check> checks = checks();
        Decision[] expected = expected(checks, TestDirectories.reports(false))[0];
        try (TestServer server = TestServer.start(Engine.of(TestDirectories.reports(false)), folder)) {
            int clients = 16;
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicLong answered = new AtomicLong();
            for (int c = 0; c < clients; c++) {
                int offset = c;
                threads.add(new Thread(() -> {
                    try (GavelClient client = server.client()) {
                        for (int round = 0; round < 40; round++) {
                            int i = (offset + round) % checks.size();
                            if (round % 4 == 0) {
                                List<CheckResult> results = client.checkBatch(checks);
                                for (int k = 0; k < results.size(); k++) {
                                    verify(results.get(k).decision(), expected[k], k, wrong);
                                }
                                answered.addAndGet(results.size());
                            } else if (round % 4 == 1) {
                                List<CompletableFuture<CheckResult>> pipelined = new ArrayList<>();
                                for (int k = 0; k < checks.size(); k++) {
                                    pipelined.add(client.checkAsync(checks.get(k)));
                                }
                                for (int k = 0; k < pipelined.size(); k++) {
                                    verify(pipelined.get(k).get().decision(), expected[k], k, wrong);
                                }
                                answered.addAndGet(pipelined.size());
                            } else {
                                verify(client.check(checks.get(i)).decision(), expected[i], i, wrong);
                                answered.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        wrong.add("client failed: " + e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(wrong).isEmpty();
            assertThat(answered.get()).isEqualTo(server.stats().checks());
        }
    }

    private static void verify(Decision got, Decision expected, int check, ConcurrentLinkedQueue<String> wrong) {
        if (got != expected) {
            wrong.add("check " + check + ": " + got + " instead of " + expected);
        }
    }

    @Test
    void reloadsUnderLoadFailNoCheck() throws Exception {
        List<Check> checks = checks();
        Directory open = TestDirectories.reports(false);
        Directory denied = TestDirectories.reports(true);
        Decision[][] expected = expected(checks, open, denied);
        assertThat(expected[0]).isNotEqualTo(expected[1]);
        Engine engine = Engine.of(open);
        long firstVersion = engine.version();
        try (TestServer server = TestServer.start(engine, folder)) {
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicLong answered = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                boolean batched = c % 2 == 0;
                threads.add(new Thread(() -> {
                    try (GavelClient client = server.client()) {
                        int i = 0;
                        while (running.get()) {
                            List<Check> request = batched ? checks : List.of(checks.get(i));
                            List<CheckResult> results = client.checkBatch(request);
                            for (int k = 0; k < results.size(); k++) {
                                CheckResult result = results.get(k);
                                int index = batched ? k : i;
                                // Versions alternate between the two directories: odd ones are the first.
                                int directory = (int) ((result.snapshotVersion() - firstVersion) % 2);
                                if (result.status() != CheckResult.Status.OK || result.failedClosed()) {
                                    wrong.add("check " + index + " failed: " + result);
                                } else if (result.decision() != expected[directory][index]) {
                                    wrong.add("check " + index + " on snapshot " + result.snapshotVersion() + ": "
                                            + result.decision() + " instead of " + expected[directory][index]);
                                }
                            }
                            answered.addAndGet(results.size());
                            i = (i + 1) % checks.size();
                        }
                    } catch (Exception e) {
                        wrong.add("client failed: " + e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (int reload = 1; reload <= 20; reload++) {
                long before = answered.get();
                engine.reload(reload % 2 == 1 ? denied : open);
                LimitsTest.await(() -> answered.get() > before + 200);
            }
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(wrong).isEmpty();
            assertThat(engine.version()).isEqualTo(firstVersion + 20);
            assertThat(engine.failures()).isZero();
        }
    }
}
