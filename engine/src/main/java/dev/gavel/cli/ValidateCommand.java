package dev.gavel.cli;

import dev.gavel.gateway.RouteTable;
import dev.gavel.policy.Finding;
import dev.gavel.policy.PolicyKind;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.policy.Severity;
import dev.gavel.report.ReportJson;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gavel validate}: reports what is wrong with policy documents, like IAM Access Analyzer,
 * and with the case files and gateway route tables that hold or stand beside them.
 */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Validate IAM policy documents and print findings as FILE:LINE:COL: SEVERITY CODE message.",
            "Severities: ERROR, SECURITY_WARNING, WARNING, SUGGESTION. Exit 1 if any ERROR is found.",
            "Folders are searched for *.json policy files and *.jsonl case files. In a case file, each line's",
            "problems and unknown fields are reported, and each policy is validated as its field's type.",
            "A JSON object with a Routes member is a gateway route table (docs/gateway-routes.md), checked as one",
            "whatever --type says."
        })
final class ValidateCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { TEXT, JSON }

    @Spec
    private CommandSpec spec;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "auto", converter = KindConverter.class,
            description = "Policy type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: trust when every "
                    + "statement names a principal and only sts:AssumeRole* actions, resource when a statement names "
                    + "a principal, identity otherwise).")
    private PolicyKind kind;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Mixin
    private CatalogOptions catalogOptions;


    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy files, case files (*.jsonl), route tables, "
            + "or folders of them.")
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
        List<Finding> jsonFindings = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = read(file);
            } catch (IOException e) {
                err.println("gavel validate: cannot read " + file + ": " + e.getMessage());
                return Exit.USAGE;
            }
            List<Finding> findings = isCaseFile(file) ? validateCases(file.toString(), text, catalog)
                    : RouteTable.isRouteTable(text) ? RouteTable.check(file.toString(), text)
                    : kind.validate(file.toString(), text, catalog);
            for (Finding finding : findings) {
                counts.merge(finding.severity(), 1, Integer::sum);
                if (format == Format.TEXT) {
                    out.println(finding.format());
                } else {
                    jsonFindings.add(finding);
                }
            }
        }
        if (format == Format.JSON) {
            out.println(ReportJson.findings(jsonFindings));
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

    private ServiceCatalog catalog() throws IOException {
        return catalogOptions.load();
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
    static final class KindConverter implements picocli.CommandLine.ITypeConverter<PolicyKind> {
        @Override
        public PolicyKind convert(String value) {
            PolicyKind kind = PolicyKind.fromName(value);
            if (kind == null) {
                throw new picocli.CommandLine.TypeConversionException("unknown policy type '" + value
                        + "'; expected one of " + Arrays.toString(PolicyKind.values()));
            }
            return kind;
        }
    }
}
