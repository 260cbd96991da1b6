package dev.gavel.cli;

import dev.gavel.directory.Directory;
import dev.gavel.directory.RequestException;
import dev.gavel.directory.Tag;
import dev.gavel.eval.RequestContext;
import dev.gavel.sts.AssumeRoleRequest;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.ServiceRoleRequest;
import dev.gavel.sts.Sts;
import dev.gavel.sts.StsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gavel sts assume-role}: a user, a role session or a service assumes a role. */
@Command(name = "assume-role",
        mixinStandardHelpOptions = true,
        description = {
            "Assume a role of the directory and print the session's credentials, as 'aws sts assume-role' does.",
            "The caller is --access-key-id (and --session-token), --principal, or --service for an AWS service."
        })
final class AssumeRoleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private StsCommand parent;

    @Mixin
    private DirectoryOptions directoryOptions;

    @Mixin
    private CallerOptions caller;

    @Mixin
    private StsOutput output;

    @Option(names = "--service", paramLabel = "PRINCIPAL",
            description = "An AWS service assuming its service role, such as ec2.amazonaws.com.")
    private String service;

    @Option(names = "--source-account", paramLabel = "ACCOUNT", description = "With --service: aws:SourceAccount.")
    private String sourceAccount;

    @Option(names = "--source-arn", paramLabel = "ARN", description = "With --service: aws:SourceArn.")
    private String sourceArn;

    @Option(names = "--role-arn", required = true, paramLabel = "ARN")
    private String roleArn;

    @Option(names = "--role-session-name", required = true, paramLabel = "NAME")
    private String roleSessionName;

    @Option(names = "--external-id", paramLabel = "ID")
    private String externalId;

    @Mixin
    private SessionOptions session;

    @Option(names = "--tags", arity = "1..*", paramLabel = "Key=K,Value=V", description = "Session tags.")
    private List<String> tags = new ArrayList<>();

    @Option(names = "--transitive-tag-keys", arity = "1..*", paramLabel = "KEY")
    private List<String> transitiveTagKeys = new ArrayList<>();

    @Option(names = "--source-identity", paramLabel = "NAME")
    private String sourceIdentity;

    @Option(names = "--serial-number", paramLabel = "ARN", description = "The caller's MFA device.")
    private String serialNumber;

    @Option(names = "--token-code", paramLabel = "CODE", description = "The MFA device's current code.")
    private String tokenCode;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Directory directory = directoryOptions.load(err);
        RequestContext context = directoryOptions.requestContext(err);
        List<Tag> parsedTags = parseTags(err);
        if (directory == null || context == null || parsedTags == null) {
            return Exit.USAGE;
        }
        Sts sts = parent.sts(directory);
        try {
            IssuedSession issued;
            if (service != null) {
                issued = sts.assumeServiceRole(new ServiceRoleRequest(service, roleArn, roleSessionName, sourceAccount,
                        sourceArn, session.durationSeconds));
            } else {
                issued = sts.assumeRole(caller.identity(sts), AssumeRoleRequest.builder(roleArn, roleSessionName)
                        .durationSeconds(session.durationSeconds).externalId(externalId).policy(session.policyText())
                        .policyArns(session.arns()).tags(parsedTags).transitiveTagKeys(transitiveTagKeys)
                        .sourceIdentity(sourceIdentity).mfa(serialNumber, tokenCode).context(context).build());
            }
            String roleId = directory.role(issued.session().roleArn()).id();
            output.print(out, issued, roleId);
            return Exit.OK;
        } catch (StsException e) {
            err.println(StsOutput.error("AssumeRole", e));
            return Exit.FAILED;
        } catch (RequestException e) {
            err.println("gavel sts assume-role: " + e.getMessage());
            return Exit.USAGE;
        }
    }

    /** {@code Key=team,Value=payments} pairs, as the AWS CLI's shorthand writes tags. */
    private List<Tag> parseTags(PrintWriter err) {
        List<Tag> parsed = new ArrayList<>();
        for (String tag : tags) {
            String key = null;
            String value = "";
            for (String part : tag.split(",", 2)) {
                if (part.startsWith("Key=")) {
                    key = part.substring(4);
                } else if (part.startsWith("Value=")) {
                    value = part.substring(6);
                }
            }
            if (key == null) {
                err.println("gavel sts assume-role: --tags " + tag + ": expected Key=KEY,Value=VALUE");
                return null;
            }
            parsed.add(new Tag(key, value));
        }
        return parsed;
    }
}
