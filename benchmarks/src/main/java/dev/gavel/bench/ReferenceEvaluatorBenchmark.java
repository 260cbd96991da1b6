package dev.gavel.bench;

import dev.gavel.eval.Decision;
import dev.gavel.eval.PolicySet;
import dev.gavel.eval.ReferenceEvaluator;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one decision by the reference evaluator, and of parsing the policy it reads. The
 * reference is the executable specification, not the hot path: this is the baseline that the
 * compiled engine is measured against.
 *
 * <p>Run: {@code scripts/bench ReferenceEvaluatorBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ReferenceEvaluatorBenchmark {

    static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "ReadOwnPrefix", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
               "Resource": "arn:aws:s3:::reports/${aws:username}/*",
               "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.0/24"]},
                             "Bool": {"aws:SecureTransport": "true"}}},
              {"Sid": "DenyOutsideRegions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
               "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}}
            ]}
            """;

    private final ReferenceEvaluator evaluator = new ReferenceEvaluator();
    private PolicySet policies;
    private Request request;

    @Setup
    public void setUp() {
        Policy policy = PolicyParser.parse("bench", POLICY).orElseThrow();
        policies = PolicySet.ofIdentity(List.of(policy));
        RequestContext context = RequestContext.builder()
                .put("aws:username", "alice")
                .put("aws:SourceIp", "10.1.2.3")
                .put("aws:SecureTransport", "true")
                .put("aws:RequestedRegion", "eu-west-1")
                .build();
        request = new Request("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
                "arn:aws:s3:::reports/alice/q3.csv", "111122223333", context);
        if (evaluator.evaluate(request, policies).decision() != Decision.ALLOWED) {
            throw new IllegalStateException("the benchmark request must be allowed");
        }
    }

    @Benchmark
    public Decision evaluate() {
        return evaluator.evaluate(request, policies).decision();
    }

    @Benchmark
    public Policy parse() {
        return PolicyParser.parse("bench", POLICY).policy();
    }
}
