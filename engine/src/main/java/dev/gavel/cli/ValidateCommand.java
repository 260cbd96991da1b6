package dev.gavel.cli;

import dev.gavel.policy.Finding;
import dev.gavel.policy.ParseResult;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.policy.Severity;
import dev.gavel.policy.Statement;
import dev.gavel.simulate.CaseParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gavel validate}: reports what is wrong with policy documents, like IAM Access Analyzer. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Validate IAM policy documents and print findings as FILE:LINE:COL: SEVERITY CODE message.",
            "Severities: ERROR, SECURITY_WARNING, WARNING, SUGGESTION. Exit 1 if any ERROR is found.",
            "Folders are searched for *.json policy files and *.jsonl case files. In a case file, each line's",
            "problems and unknown fields are reported, and each policy is validated as its field's type."
        })
final class ValidateCommand implements Callable<Integer> {

    /** The policy kinds {@code --type} accepts: a policy type and the size quota it implies. */
    enum Kind {
        AUTO(null, null),
        IDENTITY(PolicyType.IDENTITY, PolicyQuota.MANAGED),
        USER_INLINE(PolicyType.IDENTITY, PolicyQuota.USER_INLINE),
        GROUP_INLINE(PolicyType.IDENTITY, PolicyQuota.GROUP_INLINE),
        ROLE_INLINE(PolicyType.IDENTITY, PolicyQuota.ROLE_INLINE),
        RESOURCE(PolicyType.RESOURCE, PolicyQuota.NONE),
        TRUST(PolicyType.TRUST, PolicyQuota.TRUST),
        BOUNDARY(PolicyType.BOUNDARY, PolicyQuota.MANAGED),
        SESSION(PolicyType.SESSION, PolicyQuota.SESSION),
        SCP(PolicyType.SCP, PolicyQuota.ORGANIZATIONS),
        RCP(PolicyType.RCP, PolicyQuota.ORGANIZATIONS),
        ENDPOINT(PolicyType.ENDPOINT, PolicyQuota.ENDPOINT);

        final PolicyType type;
        final PolicyQuota quota;

        Kind(PolicyType type, PolicyQuota quota) {
            this.type = type;
            this.quota = quota;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Output formats. */
    enum Format { TEXT, JSON }

    /** Where the service catalog is looked for when no option names one. */
    static final String CATALOG_ENV = "GAVEL_SERVICE_CATALOG";
    static final Path DEFAULT_CATALOG = Path.of("..", "shared", "corpus", "service-catalog.json.gz");

    @Spec
    private CommandSpec spec;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "auto", converter = KindConverter.class,
            description = "Policy type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: trust when every "
                    + "statement names a principal and only sts:AssumeRole* actions, resource when a statement names "
                    + "a principal, identity otherwise).")
    private Kind kind;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--service-catalog", paramLabel = "FILE",
            description = "Service catalog for unknown-action warnings (default: $" + CATALOG_ENV
                    + ", else ../shared/corpus/service-catalog.json.gz when present).")
    private Path catalogPath;

    @Option(names = "--no-service-catalog", description = "Skip the unknown service and action checks.")
    private boolean noCatalog;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy files, case files (*.jsonl), or folders of them.")
    private List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServiceCatalog catalog;
        try {
            catalog = catalog();
        } catch (IOException e) {
            err.println("gavel validate: cannot read the service catalog: " + e.getMessage());
            return Exit.USAGE;
        }
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                err.println("gavel validate: no such file or folder: " + path);
                return Exit.USAGE;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(p -> Files.isRegularFile(p)
                        && (p.equals(path) || p.toString().endsWith(".json") || isCaseFile(p)))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                err.println("gavel validate: cannot read " + path + ": " + e.getMessage());
                return Exit.USAGE;
            }
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        List<String> jsonFindings = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = read(file);
            } catch (IOException e) {
                err.println("gavel validate: cannot read " + file + ": " + e.getMessage());
                return Exit.USAGE;
            }
            List<Finding> findings = isCaseFile(file) ? validateCases(file.toString(), text, catalog)
                    : validate(file.toString(), text, catalog);
            for (Finding finding : findings) {
                counts.merge(finding.severity(), 1, Integer::sum);
                if (format == Format.TEXT) {
                    out.println(finding.format());
                } else {
                    jsonFindings.add(JsonLines.object(json -> JsonLines.finding(json, finding)));
                }
            }
        }
        if (format == Format.JSON) {
            out.println("[" + String.join(",\n", jsonFindings) + "]");
        }
        out.flush();
        err.println(files.size() + (files.size() == 1 ? " file" : " files") + ": "
                + counts.getOrDefault(Severity.ERROR, 0) + " errors, "
                + counts.getOrDefault(Severity.SECURITY_WARNING, 0) + " security warnings, "
                + counts.getOrDefault(Severity.WARNING, 0) + " warnings, "
                + counts.getOrDefault(Severity.SUGGESTION, 0) + " suggestions"
                + (catalog == null ? " (no service catalog: actions not checked)" : ""));
        err.flush();
        return counts.getOrDefault(Severity.ERROR, 0) > 0 ? Exit.FAILED : Exit.OK;
    }

    private List<Finding> validate(String source, String text, ServiceCatalog catalog) {
        ParseResult parsed = PolicyParser.parse(source, text);
        List<Finding> findings = new ArrayList<>(parsed.findings());
        Policy policy = parsed.policy();
        if (policy != null) {
            PolicyType type = kind.type != null ? kind.type : detect(policy);
            PolicyQuota quota = kind.quota != null ? kind.quota : PolicyQuota.defaultFor(type);
            PolicyValidator.Options options = new PolicyValidator.Options(type, quota, kind != Kind.AUTO, catalog);
            findings.addAll(new PolicyValidator(options).validate(policy));
        }
        findings.sort(Finding.SOURCE_ORDER);
        return findings;
    }

    private static boolean isCaseFile(Path file) {
        return file.toString().endsWith(".jsonl");
    }

    /** A case file: each line's problems, unknown fields, and its policies as their fields' types. */
    private static List<Finding> validateCases(String source, String text, ServiceCatalog catalog) {
        List<Finding> findings = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                findings.addAll(CaseParser.check(source, i + 1, lines[i], catalog));
            }
        }
        return findings;
    }

    /** Guesses a policy's type from its shape, for {@code --type auto}. */
    static PolicyType detect(Policy policy) {
        boolean anyPrincipal = false;
        boolean trustShaped = !policy.statements().isEmpty();
        for (Statement statement : policy.statements()) {
            anyPrincipal |= statement.principal() != null;
            trustShaped &= statement.principal() != null && statement.resource() == null && statement.action() != null
                    && !statement.action().negated() && statement.action().patterns().stream()
                            .allMatch(a -> a.value().toLowerCase(Locale.ROOT).startsWith("sts:"));
        }
        if (trustShaped) {
            return PolicyType.TRUST;
        }
        return anyPrincipal ? PolicyType.RESOURCE : PolicyType.IDENTITY;
    }

    private ServiceCatalog catalog() throws IOException {
        return noCatalog ? null : findCatalog(catalogPath);
    }

    /**
     * The service catalog: the file given, else {@code $GAVEL_SERVICE_CATALOG}, else
     * {@code ../shared/corpus/service-catalog.json.gz} when present; null when there is none.
     */
    static ServiceCatalog findCatalog(Path catalogPath) throws IOException {
        if (catalogPath != null) {
            return ServiceCatalog.load(catalogPath);
        }
        String fromEnvironment = System.getenv(CATALOG_ENV);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return ServiceCatalog.load(Path.of(fromEnvironment));
        }
        return Files.isRegularFile(DEFAULT_CATALOG) ? ServiceCatalog.load(DEFAULT_CATALOG) : null;
    }

    /** Reads a file as strict UTF-8, so that a file in another encoding is reported, not misread. */
    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text", e);
        }
    }

    /** Reads {@code --type} values such as {@code user-inline}. */
    static final class KindConverter implements picocli.CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            for (Kind candidate : Kind.values()) {
                if (candidate.toString().equalsIgnoreCase(value)) {
                    return candidate;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown policy type '" + value + "'; expected one of "
                    + Arrays.toString(Kind.values()));
        }
    }
}
