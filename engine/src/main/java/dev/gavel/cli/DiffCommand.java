package dev.gavel.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.Engine;
import dev.gavel.analysis.Diff;
import dev.gavel.analysis.DiffReport;
import dev.gavel.analysis.Reach;
import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryException;
import dev.gavel.directory.LoadProblem;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.RequestContext;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel diff}: what a change to a directory, or to one policy, grants and takes away. */
@Command(name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Compare two versions of a directory, or of one policy (with --type), and list every (principal, action,",
            "resource pattern, condition) the new version allows and the old one did not (granted), and every one it",
            "no longer allows (revoked), SCP, RCP and boundary edits included. Parts of patterns a version cannot",
            "decide are listed as not decided. Exit code 1 when anything is granted, or the new version has a part",
            "it cannot decide that the old one had not, so it gates a pull request; 0 otherwise; 2 on a usage error."
        })
final class DiffCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { JSON, TEXT }

    /** What a single policy file is, for comparing two versions of one policy. */
    enum PolicyKind { IDENTITY, BOUNDARY, SCP, RCP, RESOURCE, TRUST }

    /** The account and user a single policy is compared for. */
    static final String SUBJECT_ACCOUNT = "123456789012";
    static final String SUBJECT = "arn:aws:iam::" + SUBJECT_ACCOUNT + ":user/policy-subject";
    /** The name the compared policy has in either version, so that both are one policy. */
    private static final String UNDER_TEST = "policy-under-test";
    private static final String ALLOW_ALL = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
            + "\"Action\": \"*\", \"Resource\": \"*\"}]}";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private GavelCli parent;

    @Mixin
    private CatalogOptions catalogOptions;

    @Mixin
    private ContextOptions contextOptions;

    @Option(names = "--before", required = true, paramLabel = "DIR|FILE",
            description = "The old version: a directory (folder or account dump), or with --type a policy file.")
    private Path before;

    @Option(names = "--after", required = true, paramLabel = "DIR|FILE",
            description = "The new version, as --before.")
    private Path after;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "Compare two versions of one policy: identity (the only policy of a user), boundary (the "
                    + "boundary of a user allowed everything), scp (the SCP of a member account whose users are "
                    + "allowed everything), rcp (the RCP of that account, for the user's requests on its resources), "
                    + "resource (the policy of --resource, in the user's account) or trust (the "
                    + "trust policy of a role of the user's account). The user is " + SUBJECT + ".")
    private PolicyKind type;

    @Option(names = "--resource", paramLabel = "ARN",
            description = "With --type resource: the resource the policy is attached to, such as arn:aws:s3:::bucket.")
    private String resource;

    @Option(names = "--principal", paramLabel = "ARN", description = "Only this principal (a user's or a role's ARN).")
    private String principal;

    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, such as s3:GetObject.")
    private String action;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
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
            err.println("gavel diff: cannot read the service catalog: " + e.getMessage());
            return Exit.USAGE;
        }
        RequestContext context = contextOptions.requestContext(err);
        if ((type == PolicyKind.RESOURCE) != (resource != null)) {
            err.println("gavel diff: --resource names the resource of a --type resource policy, and only that");
            return Exit.USAGE;
        }
        Directory old = type == null ? DirectoryOptions.load(before, err) : single(before, err);
        Directory now = type == null ? DirectoryOptions.load(after, err) : single(after, err);
        if (context == null || old == null || now == null) {
            return Exit.USAGE;
        }
        DiffReport report;
        try {
            report = new Diff(catalog).compare(Engine.of(old, parent.clock()), Engine.of(now, parent.clock()),
                    principal, action, context);
        } catch (RequestException e) {
            err.println("gavel diff: " + e.getMessage());
            return Exit.USAGE;
        }
        if (format == Format.TEXT) {
            printText(out, report);
        } else {
            out.println(AwsJson.write(json -> writeJson(json, report)));
        }
        out.flush();
        return report.newAccess() ? Exit.FAILED : Exit.OK;
    }

    /** A directory holding the policy file as --type says, or null after printing why it is refused. */
    private Directory single(Path file, PrintWriter err) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("gavel diff: cannot read " + file + ": " + e.getMessage());
            return null;
        }
        try {
            var builder = Directory.builder();
            switch (type) {
                case IDENTITY -> builder.account(SUBJECT_ACCOUNT, account -> account.user("policy-subject",
                        user -> user.inline(UNDER_TEST, json)));
                case BOUNDARY -> builder.account(SUBJECT_ACCOUNT, account -> account
                        .managedPolicy(UNDER_TEST, json)
                        .user("policy-subject", user -> user.inline("allow-all", ALLOW_ALL)
                                .boundary(UNDER_TEST)));
                case SCP -> builder.account(SUBJECT_ACCOUNT, account -> account.user("policy-subject",
                                user -> user.inline("allow-all", ALLOW_ALL)))
                        .account("999999999999", account -> { })
                        .organization("o-policydiff", "999999999999", organization -> organization
                                .scp("FullAWSAccess", ALLOW_ALL, true)
                                .scp(UNDER_TEST, json, false)
                                .unit("Tested", List.of(UNDER_TEST), List.of(SUBJECT_ACCOUNT)));
                case RCP -> builder.account(SUBJECT_ACCOUNT, account -> account.user("policy-subject",
                                user -> user.inline("allow-all", ALLOW_ALL)))
                        .account("999999999999", account -> { })
                        .organization("o-policydiff", "999999999999", organization -> organization
                                .scp("FullAWSAccess", ALLOW_ALL, true)
                                .rcp(UNDER_TEST, json, true)
                                .unit("Tested", List.of("FullAWSAccess"), List.of(SUBJECT_ACCOUNT)));
                case RESOURCE -> builder.account(SUBJECT_ACCOUNT, account -> account.user("policy-subject",
                                user -> { }))
                        .resourcePolicy(resource, SUBJECT_ACCOUNT, json);
                case TRUST -> builder.account(SUBJECT_ACCOUNT, account -> account
                        .user("policy-subject", user -> { })
                        .role(UNDER_TEST, json, role -> { }));
                default -> throw new IllegalStateException("no such type " + type);
            }
            return builder.build();
        } catch (DirectoryException e) {
            for (LoadProblem problem : e.problems()) {
                err.println(file + ": " + problem.format());
            }
            err.println("gavel diff: " + file + " is not a valid " + type.name().toLowerCase() + " policy");
            return null;
        }
    }

    private static void writeJson(JsonGenerator json, DiffReport report) throws IOException {
        json.writeBooleanField("NewAccess", report.newAccess());
        json.writeNumberField("Principals", report.principals());
        json.writeNumberField("Compared", report.compared());
        for (DiffReport.Direction direction : DiffReport.Direction.values()) {
            json.writeArrayFieldStart(direction == DiffReport.Direction.GRANTED ? "Granted" : "Revoked");
            for (DiffReport.Change change : report.changes()) {
                if (change.direction() != direction) {
                    continue;
                }
                json.writeStartObject();
                json.writeStringField("Principal", change.principal());
                json.writeStringField("Type", change.type().jsonName());
                json.writeFieldName("Entry");
                WhatCanCommand.writeReach(json, change.reach());
                if (change.previously() != null) {
                    json.writeStringField("Previously", change.previously());
                }
                json.writeEndObject();
            }
            for (DiffReport.OutsideChange change : report.outside()) {
                if (change.direction() != direction) {
                    continue;
                }
                json.writeStartObject();
                json.writeStringField("Principal", change.grant().named());
                json.writeStringField("Type", "outside " + change.grant().kind().jsonName());
                json.writeObjectFieldStart("Entry");
                json.writeStringField("Action", change.action());
                json.writeStringField("Resource", change.resource());
                json.writeStringField("Verdict", change.grant().verdict().jsonName());
                if (change.grant().condition() != null) {
                    json.writeFieldName("Condition");
                    ReportJson.residual(json, change.grant().condition());
                }
                ReportJson.matchedStatements(json, change.grant().statements());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeArrayFieldStart("NotCompared");
        for (String resource : report.notCompared()) {
            json.writeString(resource);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("NotDecided");
        for (DiffReport.NotDecided part : report.notDecided()) {
            json.writeStartObject();
            json.writeStringField("Principal", part.principal());
            json.writeStringField("Part", part.part());
            json.writeStringField("In", versions(part));
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** Which versions could not decide a part: {@code both}, {@code before} or {@code after}. */
    private static String versions(DiffReport.NotDecided part) {
        return part.before() && part.after() ? "both" : part.after() ? "after" : "before";
    }

    private static void printText(PrintWriter out, DiffReport report) {
        long granted = report.changes().stream().filter(c -> c.direction() == DiffReport.Direction.GRANTED).count();
        // Outside principals are counted as their lines are printed, after the directory's.
        for (DiffReport.Change change : report.changes()) {
            Reach reach = change.reach();
            out.printf("%-8s %-4s %s %s on %s (%s)%n", change.direction().jsonName(), change.type().jsonName(),
                    change.principal(), reach.action(), reach.resource(), reach.verdict().jsonName()
                            + (change.previously() == null ? "" : "; the other version: " + change.previously()));
            if (reach.condition() != null) {
                out.println("    when: " + reach.condition().text());
            }
            reach.statements().forEach(statement -> out.println("    " + statement.describe()));
            for (Reach.Excluded excluded : reach.excluded()) {
                out.println("    except " + excluded.resource() + (excluded.conditional() ? " when its conditions hold"
                        : "") + ": " + excluded.why());
            }
        }
        for (DiffReport.OutsideChange change : report.outside()) {
            out.printf("%-8s outside %s %s %s on %s (%s)%n", change.direction().jsonName(),
                    change.grant().kind().jsonName(), change.grant().named(), change.action(), change.resource(),
                    change.grant().verdict().jsonName());
            if (change.grant().condition() != null) {
                out.println("    when: " + change.grant().condition().text());
            }
            change.grant().statements().forEach(statement -> out.println("    " + statement.describe()));
            if (change.direction() == DiffReport.Direction.GRANTED) {
                granted++;
            }
        }
        report.notCompared().forEach(resource -> out.println("not compared for principals outside the directory: "
                + resource));
        report.notDecided().forEach(part -> out.println("not decided in " + (versions(part).equals("both")
                ? "either version" : "the " + versions(part) + " version") + " for " + part.principal() + ": "
                + part.part()));
        int all = report.changes().size() + report.outside().size();
        out.println(granted + " granted, " + (all - granted) + " revoked; compared "
                + report.compared() + " of " + report.principals() + " principals whose policies changed");
    }
}
