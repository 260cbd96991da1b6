package dev.gavel.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.Engine;
import dev.gavel.analysis.AccessLevel;
import dev.gavel.analysis.ActionAnswer;
import dev.gavel.analysis.Coverage;
import dev.gavel.analysis.Grant;
import dev.gavel.analysis.OutsideGrant;
import dev.gavel.analysis.PrincipalType;
import dev.gavel.analysis.WhoCan;
import dev.gavel.analysis.WhoCanReport;
import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import dev.gavel.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel who-can}: every principal that may perform each action on a resource. */
@Command(name = "who-can",
        mixinStandardHelpOptions = true,
        description = {
            "List every principal that may perform each action on the resource: the directory's users, its roles",
            "(each decided as a session of the role; an entry says when another session could get another answer),",
            "and the principals outside the directory that the resource's policy, or for sts:AssumeRole and the",
            "other trust actions the role's trust policy, allows. Each entry gives the statements that decided.",
            "Exit code 0 when someone may, 1 when nobody may, 2 on a usage error."
        })
final class WhoCanCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { JSON, TEXT }


    @Spec
    private CommandSpec spec;

    @ParentCommand
    private GavelCli parent;

    @Mixin
    private DirectoryOptions options;

    @Option(names = "--action", required = true, arity = "1..*", paramLabel = "ACTION",
            description = "Actions to ask about, such as s3:GetObject.")
    private List<String> actions;

    @Option(names = "--resource", required = true, paramLabel = "ARN",
            description = "The resource, an ARN (or * for actions that take no resource).")
    private String resource;

    @Option(names = "--transitive", paramLabel = "N", defaultValue = "0",
            description = "Also list the principals that reach the action by assuming roles (sts:AssumeRole, with the "
                    + "same context), up to N roles in a row, at most " + WhoCan.MAX_STEPS + " (default: none); a chain "
                    + "with a conditional step is conditional on all its steps' conditions.")
    private int transitive;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "Output format: json or text (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Directory directory = options.load(err);
        RequestContext context = options.requestContext(err);
        if (directory == null || context == null) {
            return Exit.USAGE;
        }
        WhoCanReport report;
        try {
            report = new WhoCan(Engine.of(directory, parent.clock())).ask(actions, resource, context, transitive);
        } catch (RequestException e) {
            err.println("gavel who-can: " + e.getMessage());
            return Exit.USAGE;
        }
        if (format == Format.TEXT) {
            printText(out, report);
        } else {
            out.println(AwsJson.write(json -> writeJson(json, report)));
        }
        out.flush();
        return report.anyone() ? Exit.OK : Exit.FAILED;
    }

    private static void writeJson(JsonGenerator json, WhoCanReport report) throws IOException {
        json.writeStringField("Resource", report.resource());
        json.writeNumberField("SnapshotVersion", report.version());
        json.writeStringField("AccessLevelSource", WhatCanCommand.ACCESS_LEVEL_SOURCE);
        json.writeArrayFieldStart("Actions");
        for (ActionAnswer answer : report.actions()) {
            json.writeStartObject();
            json.writeStringField("Action", answer.action());
            json.writeStringField("AccessLevel", AccessLevel.of(answer.action()).label());
            json.writeArrayFieldStart("Principals");
            for (Grant grant : answer.principals()) {
                json.writeStartObject();
                json.writeStringField("Type", grant.type().jsonName());
                json.writeStringField("Arn", grant.arn());
                json.writeStringField("Verdict", grant.verdict().jsonName());
                if (grant.condition() != null) {
                    json.writeFieldName("Condition");
                    ReportJson.residual(json, grant.condition());
                }
                if (grant.type() == PrincipalType.ROLE) {
                    writeStrings(json, "SessionKeys", grant.sessionKeys());
                }
                writeStrings(json, "Via", grant.via());
                json.writeArrayFieldStart("StepConditions");
                for (Residual step : grant.stepConditions()) {
                    ReportJson.residual(json, step);
                }
                json.writeEndArray();
                ReportJson.matchedStatements(json, grant.statements());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Outside");
            for (OutsideGrant grant : answer.outside()) {
                json.writeStartObject();
                json.writeStringField("Kind", grant.kind().jsonName());
                json.writeStringField("Named", grant.named());
                json.writeStringField("Verdict", grant.verdict().jsonName());
                if (grant.condition() != null) {
                    json.writeFieldName("Condition");
                    ReportJson.residual(json, grant.condition());
                }
                json.writeBooleanField("NeedsOwnIdentityPolicies", grant.needsOwnIdentityPolicies());
                ReportJson.matchedStatements(json, grant.statements());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        Coverage coverage = report.coverage();
        json.writeObjectFieldStart("Coverage");
        writeStrings(json, "Accounts", coverage.accounts());
        json.writeNumberField("Users", coverage.users());
        json.writeNumberField("Roles", coverage.roles());
        writeStrings(json, "NotInDirectory", coverage.notHeld());
        writeStrings(json, "Undecided", coverage.undecided());
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void printText(PrintWriter out, WhoCanReport report) {
        for (ActionAnswer answer : report.actions()) {
            out.println(answer.action() + " on " + report.resource() + " (access level "
                    + AccessLevel.of(answer.action()).label() + ", inferred)");
            if (!answer.anyone()) {
                out.println("  nobody");
            }
            for (Grant grant : answer.principals()) {
                out.printf("  %-11s %-5s %s%n", grant.verdict().jsonName(), grant.type().jsonName(), grant.arn());
                if (grant.condition() != null) {
                    out.println("      when: " + grant.condition().text());
                }
                if (!grant.via().isEmpty()) {
                    out.println("      by assuming " + String.join(", then ", grant.via()));
                }
                printStepConditions(out, grant);
                if (grant.dependsOnSession()) {
                    out.println("      depends on the session by " + String.join(", ", grant.sessionKeys()));
                }
                grant.statements().forEach(statement -> out.println("      " + statement.describe()));
            }
            for (OutsideGrant grant : answer.outside()) {
                out.printf("  %-11s outside %s %s%n", grant.verdict().jsonName(), grant.kind().jsonName(),
                        grant.named());
                if (grant.condition() != null) {
                    out.println("      when: " + grant.condition().text());
                }
                if (grant.needsOwnIdentityPolicies()) {
                    out.println("      if its own account's identity policies allow it too (not in the directory)");
                }
                grant.statements().forEach(statement -> out.println("      " + statement.describe()));
            }
        }
        Coverage coverage = report.coverage();
        out.println("examined " + count(coverage.accounts().size(), "account") + " ("
                + String.join(", ", coverage.accounts()) + "): " + count(coverage.users(), "user") + ", "
                + count(coverage.roles(), "role") + " (as any session)");
        coverage.notHeld().forEach(named -> out.println("not in the directory: " + named));
        coverage.undecided().forEach(arn -> out.println("undecided (failed closed): " + arn));
    }

    /** For a conditional chain, which step each part of its condition comes from. */
    private static void printStepConditions(PrintWriter out, Grant grant) {
        if (grant.condition() == null || grant.via().isEmpty()) {
            return;
        }
        List<Residual> steps = grant.stepConditions();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).isTrue()) {
                continue;
            }
            String step = i < grant.via().size() ? "assuming " + grant.via().get(i)
                    : grant.via().get(i - 1) + " performing the action";
            out.println("      step " + (i + 1) + ", " + step + ", when: " + steps.get(i).text());
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
