package dev.gavel.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real policies of ../shared/corpus: AWS managed ones are valid, and the examples read as expected. */
class SharedPoliciesTest {

    /**
     * Examples published with placeholders or mistakes, and the errors they must get. Every other
     * example must validate without an ERROR as its kind.
     */
    private static final Map<String, Set<FindingCode>> KNOWN_INVALID = Map.of(
            "apigateway-resource-policy-data-perimeter.json", Set.of(FindingCode.INVALID_CONDITION_VALUE),
            "rcp-data-perimeter-network-sourcevpc.json", Set.of(FindingCode.INVALID_CONDITION_VALUE),
            "rcp-oidc-shared-issuers.json", Set.of(FindingCode.MISSING_RESOURCE, FindingCode.EFFECT_NOT_ALLOWED,
                    FindingCode.POLICY_SIZE_EXCEEDED),
            "scp-data-perimeter-network-vpce-orgid.json", Set.of(FindingCode.INVALID_CONDITION_VALUE),
            "scp-data-perimeter-resource-perimeter.json", Set.of(FindingCode.INVALID_ARN),
            "scp-deny-iam-users-from-unexpected-networks.json", Set.of(FindingCode.INVALID_CONDITION_VALUE),
            "sns-topic-data-perimeter.json", Set.of(FindingCode.INVALID_CONDITION_VALUE),
            "sns-topic-s3-event-notifications.json", Set.of(FindingCode.INVALID_ARN),
            "sqs-queue-s3-event-notifications.json", Set.of(FindingCode.INVALID_ARN),
            "vpce-policy-s3-data-perimeter.json", Set.of(FindingCode.INVALID_ACTION, FindingCode.INVALID_ARN));

    @Test
    void everyAwsManagedPolicyValidatesWithoutAnError() throws IOException {
        Path folder = SharedCorpus.require("corpus/aws-managed");
        ServiceCatalog catalog = ServiceCatalog.load(SharedCorpus.require("corpus/service-catalog.json.gz"));
        PolicyValidator validator = new PolicyValidator(
                new PolicyValidator.Options(PolicyType.IDENTITY, PolicyQuota.MANAGED, false, catalog));
        List<Path> files = jsonFiles(folder);
        List<Finding> errors = new ArrayList<>();
        for (Path file : files) {
            validator.validate(file.toString(), Files.readString(file, StandardCharsets.UTF_8)).stream()
                    .filter(f -> f.severity() == Severity.ERROR).forEach(errors::add);
        }
        assertThat(files).hasSizeGreaterThan(1500);
        assertThat(errors).isEmpty();
    }

    @Test
    void everyExampleParsesAndOnlyTheKnownInvalidOnesHaveErrors() throws IOException {
        Path folder = SharedCorpus.require("corpus/examples");
        Map<String, PolicyType> kinds = kinds(folder.resolve("SOURCES.tsv"));
        Map<String, Set<FindingCode>> errors = new TreeMap<>();
        for (Path file : jsonFiles(folder)) {
            String name = file.getFileName().toString();
            String text = Files.readString(file, StandardCharsets.UTF_8);
            ParseResult parsed = PolicyParser.parse(name, text);
            assertThat(parsed.policy()).as(name + " parses").isNotNull();
            PolicyType type = kinds.get(name);
            assertThat(type).as(name + " has a kind in SOURCES.tsv").isNotNull();
            Set<FindingCode> codes = new TreeSet<>();
            new PolicyValidator(PolicyValidator.Options.of(type)).validate(name, text).stream()
                    .filter(f -> f.severity() == Severity.ERROR).forEach(f -> codes.add(f.code()));
            if (!codes.isEmpty()) {
                errors.put(name, codes);
            }
        }
        assertThat(errors).isEqualTo(new TreeMap<>(KNOWN_INVALID));
    }

    private static Map<String, PolicyType> kinds(Path sources) throws IOException {
        Map<String, PolicyType> kinds = new TreeMap<>();
        List<String> lines = Files.readAllLines(sources, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split("\t");
            String kind = columns[1];
            PolicyType type = kind.startsWith("trust") ? PolicyType.TRUST
                    : kind.startsWith("resource") ? PolicyType.RESOURCE
                    : kind.startsWith("vpc-endpoint") ? PolicyType.ENDPOINT
                    : kind.startsWith("permissions-boundary") ? PolicyType.BOUNDARY
                    : kind.startsWith("identity") ? PolicyType.IDENTITY
                    : kind.equals("scp") ? PolicyType.SCP
                    : kind.equals("rcp") ? PolicyType.RCP : null;
            kinds.put(columns[0], type);
        }
        return kinds;
    }

    private static List<Path> jsonFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
