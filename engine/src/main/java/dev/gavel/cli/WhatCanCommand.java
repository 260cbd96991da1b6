package dev.gavel.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.Engine;
import dev.gavel.analysis.AccessLevel;
import dev.gavel.analysis.Reach;
import dev.gavel.analysis.WhatCan;
import dev.gavel.analysis.WhatCanReport;
import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel what-can}: every action a principal may perform, and on which resources. */
@Command(name = "what-can",
        mixinStandardHelpOptions = true,
        description = {
            "List the actions a principal may perform, grouped by service and access level, with the resource",
            "patterns it may perform them on, each allowed or conditional, and the statements that grant them,",
            "after denies, its permissions boundary, SCPs, and each resource's policy and RCPs. A role is answered",
            "for a session of it with no session policy. Access levels are inferred from each action's verb.",
            "Exit code 0 when the principal may do something, 1 when nothing, 2 on a usage error."
        })
final class WhatCanCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { JSON, TEXT }

    static final String ACCESS_LEVEL_SOURCE = "inferred from the action's verb";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private GavelCli parent;

    @Mixin
    private DirectoryOptions options;

    @Mixin
    private CatalogOptions catalogOptions;

    @Option(names = "--principal", required = true, paramLabel = "ARN",
            description = "A user's ARN, a role's (answered for a session of it), or a role session's.")
    private String principal;

    @Option(names = "--service", paramLabel = "PREFIX", description = "Only this service's actions, such as s3.")
    private String service;

    @Option(names = "--resource", paramLabel = "ARN",
            description = "Only what may be done on this resource (an ARN, or a pattern such as arn:aws:s3:::bucket/*).")
    private String resource;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "Output format: json or text (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServiceCatalog catalog;
        try {
            catalog = catalogOptions.load();
        } catch (IOException e) {
            err.println("gavel what-can: cannot read the service catalog: " + e.getMessage());
            return Exit.USAGE;
        }
        Directory directory = options.load(err);
        RequestContext context = options.requestContext(err);
        if (directory == null || context == null) {
            return Exit.USAGE;
        }
        WhatCanReport report;
        try {
            report = new WhatCan(Engine.of(directory, parent.clock()), catalog).ask(principal, service, resource,
                    context);
        } catch (RequestException e) {
            err.println("gavel what-can: " + e.getMessage());
            return Exit.USAGE;
        }
        if (format == Format.TEXT) {
            printText(out, report);
        } else {
            out.println(AwsJson.write(json -> writeJson(json, report)));
        }
        out.flush();
        return report.anything() ? Exit.OK : Exit.FAILED;
    }

    private static void writeJson(JsonGenerator json, WhatCanReport report) throws IOException {
        json.writeStringField("Principal", report.principal());
        json.writeStringField("Type", report.type().jsonName());
        json.writeNumberField("SnapshotVersion", report.version());
        json.writeStringField("AccessLevelSource", ACCESS_LEVEL_SOURCE);
        json.writeArrayFieldStart("Services");
        for (Map.Entry<String, Map<AccessLevel, List<Reach>>> service : grouped(report.reaches()).entrySet()) {
            json.writeStartObject();
            json.writeStringField("Service", service.getKey());
            json.writeArrayFieldStart("AccessLevels");
            for (Map.Entry<AccessLevel, List<Reach>> level : service.getValue().entrySet()) {
                json.writeStartObject();
                json.writeStringField("AccessLevel", level.getKey().label());
                json.writeArrayFieldStart("Actions");
                for (Reach reach : level.getValue()) {
                    writeReach(json, reach);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        WhatCanReport.Coverage coverage = report.coverage();
        json.writeObjectFieldStart("Coverage");
        json.writeNumberField("Policies", coverage.policies());
        json.writeNumberField("Actions", coverage.actions());
        json.writeNumberField("Decided", coverage.decided());
        writeStrings(json, "Unexpanded", coverage.unexpanded());
        writeStrings(json, "Unwritten", coverage.unwritten());
        writeStrings(json, "Undecided", coverage.undecided());
        json.writeEndObject();
    }

    /** One entry, as what-can and diff write it. */
    static void writeReach(JsonGenerator json, Reach reach) throws IOException {
        json.writeStartObject();
        json.writeStringField("Action", reach.action());
        json.writeStringField("Resource", reach.resource());
        json.writeStringField("Verdict", reach.verdict().jsonName());
        if (reach.condition() != null) {
            json.writeFieldName("Condition");
            ReportJson.residual(json, reach.condition());
        }
        ReportJson.matchedStatements(json, reach.statements());
        json.writeArrayFieldStart("Excluded");
        for (Reach.Excluded excluded : reach.excluded()) {
            json.writeStartObject();
            json.writeStringField("Resource", excluded.resource());
            json.writeBooleanField("Conditional", excluded.conditional());
            json.writeStringField("Why", excluded.why());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** The entries by service, then access level, in the report's order. */
    private static Map<String, Map<AccessLevel, List<Reach>>> grouped(List<Reach> reaches) {
        Map<String, Map<AccessLevel, List<Reach>>> grouped = new LinkedHashMap<>();
        for (Reach reach : reaches) {
            grouped.computeIfAbsent(reach.service(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(reach.accessLevel(), l -> new ArrayList<>()).add(reach);
        }
        return grouped;
    }

    private static void printText(PrintWriter out, WhatCanReport report) {
        out.println(report.principal() + " (" + report.type().jsonName()
                + (report.type() == dev.gavel.analysis.PrincipalType.ROLE ? ", as any session" : "") + ") may:");
        if (!report.anything()) {
            out.println("  nothing");
        }
        for (Map.Entry<String, Map<AccessLevel, List<Reach>>> service : grouped(report.reaches()).entrySet()) {
            out.println(service.getKey());
            for (Map.Entry<AccessLevel, List<Reach>> level : service.getValue().entrySet()) {
                out.println("  " + level.getKey().label());
                for (List<Reach> alike : alike(level.getValue())) {
                    printAlike(out, alike);
                }
            }
        }
        WhatCanReport.Coverage coverage = report.coverage();
        out.println("examined " + coverage.policies() + " policies, " + coverage.actions() + " actions, "
                + coverage.decided() + " (action, resource) pairs; access levels " + ACCESS_LEVEL_SOURCE);
        coverage.unexpanded().forEach(pattern -> out.println("not expanded (no service catalog, or a service it does not hold): "
                + pattern));
        coverage.unwritten().forEach(part -> out.println("not decided (no single pattern writes it): " + part));
        coverage.undecided().forEach(pair -> out.println("undecided (failed closed): " + pair));
    }

    /** Runs of entries that differ only in their action, printed as one line. */
    private static List<List<Reach>> alike(List<Reach> reaches) {
        Map<List<Object>, List<Reach>> runs = new LinkedHashMap<>();
        for (Reach reach : reaches) {
            List<Object> key = List.of(reach.resource(), reach.verdict(), Objects.toString(reach.condition()),
                    reach.statements(), reach.excluded());
            runs.computeIfAbsent(key, k -> new ArrayList<>()).add(reach);
        }
        return List.copyOf(runs.values());
    }

    private static void printAlike(PrintWriter out, List<Reach> alike) {
        Reach first = alike.get(0);
        List<String> names = alike.stream().map(r -> r.action().substring(r.action().indexOf(':') + 1)).toList();
        out.printf("    %-11s %s on %s%n", first.verdict().jsonName(), String.join(", ", names), first.resource());
        if (first.condition() != null) {
            out.println("        when: " + first.condition().text());
        }
        first.statements().forEach(statement -> out.println("        " + statement.describe()));
        for (Reach.Excluded excluded : first.excluded()) {
            out.println("        except " + excluded.resource() + (excluded.conditional() ? " when its conditions hold"
                    : "") + ": " + excluded.why());
        }
    }
}
