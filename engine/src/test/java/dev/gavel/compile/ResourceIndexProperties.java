package dev.gavel.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.eval.MatchedStatement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyType;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A resource index never leaves out a statement whose resource patterns match: it only narrows the search. */
class ResourceIndexProperties {

    private static final String[] PATTERNS = {"*", "arn:aws:s3:::b/*", "arn:aws:s3:::b", "arn:aws:s3:::b/k", "arn:aws:s3:::*",
        "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::b/a*", "arn:aws:s3:::b/a/*",
        "arn:aws:s3:*", "ARN:AWS:S3:::b/*", "arn:aws:sqs:*:1:q:with:*", "arn:aws:sqs:*:1:q:with", "arn:aws:s3:::b/a:b/*",
        "arn:aws:iam::1:role/path/*", "arn:aws:iam::1:role/*", "arn:aws:s3:::b?/*", "arn:aws:s3:::b/${*}/x",
        "arn:aws:dynamodb:*:*:table/orders", "arn:aws:dynamodb:*:*:table/orders/index/*", "arn:aws:s3:::*/a/*"};
    private static final String[] RESOURCES = {"arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:s3:::b/a/x", "arn:aws:s3:::bb/k",
        "arn:aws:s3:::b/alice/k", "arn:aws:s3:::alice/k", "arn:aws:sqs:eu-west-1:1:q:with:colons", "arn:aws:sqs:eu-west-1:1:q:with",
        "arn:aws:iam::1:role/path/App", "arn:aws:iam::1:role/App", "arn:aws:s3:::b/a:b/c", "*", "not-an-arn",
        "arn:aws:dynamodb:eu-west-1:1:table/orders", "arn:aws:dynamodb:eu-west-1:1:table/orders/index/byDate",
        "arn:aws:s3:::b/" + "x/".repeat(20) + "k", "ARN:AWS:S3:::b/k", "arn:aws:s3:::b/${*}/x", "arn:aws:s3:::b/*/x"};

    @Property(tries = 2_000)
    void everyMatchingStatementIsACandidate(@ForAll("policies") Policy policy, @ForAll("resources") String resource,
            @ForAll("usernames") String username) {
        Symbols symbols = new Symbols();
        CompiledPolicy compiled = new CompiledPolicy(policy, symbols);
        PolicyGroup.Entry[] entries = new PolicyGroup.Entry[compiled.statements.length];
        for (int i = 0; i < entries.length; i++) {
            CompiledStatement statement = compiled.statements[i];
            entries[i] = new PolicyGroup.Entry(statement, new MatchedStatement(PolicyType.IDENTITY, -1, "p",
                    statement.source.label(), statement.effect, statement.source.location()));
        }
        ResourceIndex index = ResourceIndex.of(entries);
        SlotValues request = new SlotValues(8);
        request.put(symbols.key("aws:username"), username);
        EvalScratch scratch = new EvalScratch(request);
        scratch.resource(resource);
        Set<Integer> candidates = new HashSet<>();
        int count = index == null ? -1 : index.lookup(scratch);
        for (int i = 0; i < count; i++) {
            candidates.add(scratch.candidates(count)[i]);
        }
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].statement().coversResource(scratch)) {
                assertThat(count < 0 || candidates.contains(i)).as("statement %d of %s on %s", i, policy, resource)
                        .isTrue();
            }
        }
    }

    @Provide
    Arbitrary<Policy> policies() {
        Arbitrary<String> statement = Arbitraries.of(PATTERNS).list().ofMinSize(1).ofMaxSize(3).map(patterns ->
                "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": [\"" + String.join("\", \"", patterns) + "\"]}");
        return statement.list().ofMinSize(6).ofMaxSize(20).map(list -> PolicyParser.parse("p",
                "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", list) + "]}").orElseThrow());
    }

    @Provide
    Arbitrary<String> resources() {
        return Arbitraries.oneOf(Arbitraries.of(RESOURCES), Arbitraries.strings().withChars("arnws3:/b*ka").ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> usernames() {
        return Arbitraries.of("alice", "b", "a:b", "x/y", "*");
    }
}
