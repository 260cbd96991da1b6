package dev.gavel.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.Answer;
import dev.gavel.Endpoint;
import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.Evaluation;
import dev.gavel.eval.KeyKnowledge;
import dev.gavel.eval.MatchedStatement;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import dev.gavel.eval.Verdict;
import dev.gavel.policy.Finding;
import dev.gavel.policy.PolicyParser;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.Severity;
import dev.gavel.report.ReportJson;
import dev.gavel.sts.StsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel check}: decides actions on resources for a principal of a directory, like simulate-principal-policy. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Decide each action on each resource for a principal of a directory, with every policy that applies",
            "(identity and group policies, boundary, session policies, SCPs, RCPs, the resource's policy) and the",
            "context keys AWS fills from the principal. Prints one result per action and resource, shaped like",
            "'aws iam simulate-principal-policy'. A role session ARN as --principal is that session with no session",
            "policy; a role ARN is refused (only sessions act). With --unknown-context or --unknown-key, context keys",
            "may be unknown: a request allowed for some of their values only is 'conditional', with the condition."
        })
final class CheckCommand implements Callable<Integer> {

    /** Who asks: a principal ARN, or credentials. */
    static final class Caller {
        @Option(names = "--principal", required = true, paramLabel = "ARN",
                description = "A user ARN or a role session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION).")
        String principal;

        @Option(names = "--access-key-id", required = true, paramLabel = "ID",
                description = "A user's access key (AKIA...) or a session's (ASIA..., with --session-token).")
        String accessKeyId;
    }

    /** Output formats. */
    enum Format { JSON, TEXT }

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private GavelCli parent;

    @Mixin
    private DirectoryOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Caller caller;

    @Option(names = "--session-token", paramLabel = "TOKEN", description = "The session token of ASIA... credentials.")
    private String sessionToken;

    @Option(names = "--action", required = true, arity = "1..*", paramLabel = "ACTION",
            description = "Actions to decide, such as s3:GetObject.")
    private List<String> actions;

    @Option(names = "--resource", arity = "1..*", paramLabel = "ARN",
            description = "Resources to decide each action on (default: *).")
    private List<String> resources = new ArrayList<>(List.of("*"));

    @Option(names = "--endpoint-policy", paramLabel = "FILE",
            description = "The policy of the VPC endpoint the requests come through: it must also allow each one.")
    private Path endpointPolicyFile;

    @Option(names = "--explain", description = "Add why each decision was made.")
    private boolean explain;

    @Mixin
    private UnknownContextOptions unknown;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "Output format: json or text (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Directory directory = options.load(err);
        RequestContext context = options.requestContext(err);
        if (directory == null || context == null) {
            return Exit.USAGE;
        }
        KeyKnowledge knowledge = knowledge(context, err);
        if (knowledge == null) {
            return Exit.USAGE;
        }
        Engine engine = Engine.of(directory, parent.clock());
        Principal principal;
        try {
            principal = caller.principal != null ? engine.principal(caller.principal)
                    : engine.credentials(caller.accessKeyId, sessionToken);
        } catch (RequestException | StsException e) {
            err.println("gavel check: " + (e instanceof StsException sts ? sts.toString() : e.getMessage()));
            return Exit.USAGE;
        }
        Endpoint endpoint = null;
        if (endpointPolicyFile != null) {
            endpoint = endpoint(engine, err);
            if (endpoint == null) {
                return Exit.USAGE;
            }
        }
        List<Result> results = new ArrayList<>();
        for (String action : actions) {
            if (action.indexOf(':') <= 0) {
                err.println("gavel check: action: \"" + action + "\" is not service:Action");
                return Exit.USAGE;
            }
            for (String resource : resources) {
                try {
                    results.add(new Result(action, resource,
                            evaluate(engine, principal, action, resource, context, endpoint, knowledge)));
                } catch (RequestException e) {
                    err.println("gavel check: " + e.getMessage());
                    return Exit.USAGE;
                }
            }
        }
        if (format == Format.TEXT) {
            printText(out, results);
        } else {
            out.println(AwsJson.write(json -> {
                json.writeArrayFieldStart("EvaluationResults");
                for (Result result : results) {
                    writeResult(json, result);
                }
                json.writeEndArray();
            }));
        }
        out.flush();
        return Exit.OK;
    }

    private record Result(String action, String resource, ConditionalEvaluation evaluation) {}

    /** Decides with the compiled engine, or analyses when some keys are unknown. */
    private ConditionalEvaluation evaluate(Engine engine, Principal principal, String action, String resource,
            RequestContext context, Endpoint endpoint, KeyKnowledge knowledge) throws RequestException {
        if (unknown.analyse()) {
            return engine.analyse(principal, action, resource, context, knowledge, endpoint);
        }
        Answer answer = endpoint == null ? engine.explain(principal, action, resource, context)
                : engine.explain(principal, action, resource, context, endpoint);
        return ConditionalEvaluation.of(new Evaluation(answer.decision(), answer.explanation()));
    }

    /**
     * What the unknown-context options say, or null after printing why not: a key Gavel fills or
     * one given with --context is known, and naming it unknown is refused.
     */
    private KeyKnowledge knowledge(RequestContext context, PrintWriter err) {
        for (String key : unknown.unknownKeys()) {
            if (Authorizer.isFilledKey(key)) {
                err.println("gavel check: --unknown-key: \"" + key + "\" is filled from the principal, the resource's "
                        + "account or the clock, so it is always known");
                return null;
            }
            if (context.get(key) != null) {
                err.println("gavel check: --unknown-key: \"" + key + "\" is given with --context, so it is known");
                return null;
            }
        }
        return unknown.knowledge(err, "gavel check");
    }

    /** The endpoint policy file, validated as a VPC endpoint policy; null after printing its errors. */
    private Endpoint endpoint(Engine engine, PrintWriter err) {
        String source = endpointPolicyFile.toString();
        String text;
        try {
            text = Files.readString(endpointPolicyFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("gavel check: cannot read " + source + ": " + e.getMessage());
            return null;
        }
        List<Finding> errors = new PolicyValidator(PolicyValidator.Options.of(PolicyType.ENDPOINT))
                .validate(source, text).stream().filter(f -> f.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            errors.forEach(finding -> err.println("gavel check: " + finding.format()));
            return null;
        }
        return engine.endpoint(PolicyParser.parse(source, text).policy());
    }

    private void writeResult(JsonGenerator json, Result result) throws IOException {
        json.writeStartObject();
        json.writeStringField("EvalActionName", result.action());
        json.writeStringField("EvalResourceName", result.resource());
        json.writeStringField("EvalDecision", result.evaluation().verdict().jsonName());
        ReportJson.conditions(json, result.evaluation(), "EvalCondition", "EvalExplicitDenyCondition");
        ReportJson.matchedStatements(json, result.evaluation().explanation().statements());
        json.writeArrayFieldStart("MissingContextValues");
        for (String key : result.evaluation().explanation().missingContextKeys()) {
            json.writeString(key);
        }
        json.writeEndArray();
        if (explain) {
            json.writeObjectFieldStart("EvalDecisionDetails");
            var decidedBy = result.evaluation().explanation().decidedBy();
            json.writeStringField("DecidedBy", decidedBy == null ? null : decidedBy.cliName());
            json.writeStringField("Reason", result.evaluation().explanation().reason());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private void printText(PrintWriter out, List<Result> results) {
        for (Result result : results) {
            ConditionalEvaluation evaluation = result.evaluation();
            out.printf("%-13s %s %s%n", evaluation.verdict().jsonName(), result.action(), result.resource());
            // The reason --explain prints names the conditions already.
            if (!explain && evaluation.verdict() == Verdict.CONDITIONAL) {
                out.println("    when: " + evaluation.allowedWhen());
            }
            Residual explicitDeny = evaluation.explicitDenyWhen();
            if (!explain && evaluation.verdict() == Verdict.IMPLICIT_DENY && !explicitDeny.isFalse()) {
                out.println("    explicitly denied when: " + explicitDeny);
            }
            if (explain) {
                out.println("    " + result.evaluation().explanation().reason());
                for (MatchedStatement statement : result.evaluation().explanation().statements()) {
                    out.println("    " + statement.describe());
                }
                if (!result.evaluation().explanation().missingContextKeys().isEmpty()) {
                    out.println("    missing context keys: "
                            + String.join(", ", result.evaluation().explanation().missingContextKeys()));
                }
            }
        }
    }
}
