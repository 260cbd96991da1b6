package dev.gavel.bench;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compiling every AWS managed policy of {@code ../shared/corpus/aws-managed} (1,594 of them),
 * attached to one role, into the snapshot that a session of the role checks against, with the
 * plans for one action: {@code compile} from parsed policies (what a reload of a loaded
 * directory costs), {@code parseAndCompile} from their text (parsing and validating included).
 * Guards start-up and reload time.
 *
 * <p>Run: {@code scripts/bench CompileBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(2)
public class CompileBenchmark {

    private List<String> names;
    private List<String> texts;
    private Directory parsed;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        names = new ArrayList<>();
        texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(Scenarios.awsManaged())) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String name = file.getFileName().toString();
                names.add(name.substring(0, name.length() - ".json".length()));
                texts.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        parsed = directory();
    }

    @Benchmark
    public Object compile() throws Exception {
        return firstCheck(Engine.of(parsed));
    }

    @Benchmark
    public Object parseAndCompile() throws Exception {
        return firstCheck(Engine.of(directory()));
    }

    private static Object firstCheck(Engine engine) throws Exception {
        return engine.explain("arn:aws:sts::" + Scenarios.ACCOUNT + ":assumed-role/Everything/bench", "s3:GetObject",
                "arn:aws:s3:::bucket/key", null).decision();
    }

    private Directory directory() throws Exception {
        DirectoryBuilder builder = Directory.builder().account(Scenarios.ACCOUNT, account -> {
            for (int i = 0; i < names.size(); i++) {
                account.awsManagedPolicy(names.get(i), texts.get(i));
            }
            account.role("Everything", """
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""", role -> {
                for (String name : names) {
                    role.attach("arn:aws:iam::aws:policy/" + name);
                }
            });
        });
        return builder.build();
    }
}
