package dev.gavel.cli;

import dev.gavel.directory.Directory;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.SamlRequest;
import dev.gavel.sts.Sts;
import dev.gavel.sts.StsException;
import dev.gavel.sts.WebIdentityRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The STS operations whose caller is an identity provider's user rather than an AWS identity. */
final class FederatedCommands {

    private FederatedCommands() {}

    /** {@code gavel sts assume-role-with-web-identity}. */
    @Command(name = "assume-role-with-web-identity",
            mixinStandardHelpOptions = true,
            description = "Assume a role with an OIDC token from a provider the role's account trusts, as "
                    + "'aws sts assume-role-with-web-identity' does.")
    static final class WebIdentity implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @ParentCommand
        private StsCommand parent;

        @Mixin
        private DirectoryOptions directoryOptions;

        @Mixin
        private StsOutput output;

        @Option(names = "--role-arn", required = true, paramLabel = "ARN")
        private String roleArn;

        @Option(names = "--role-session-name", required = true, paramLabel = "NAME")
        private String roleSessionName;

        @Option(names = "--web-identity-token", required = true, paramLabel = "TOKEN",
                description = "The JWT, or file://PATH.")
        private String token;

        @Option(names = "--duration-seconds", paramLabel = "SECONDS")
        private Integer durationSeconds;

        @Option(names = "--policy", paramLabel = "JSON", description = "An inline session policy, or file://PATH.")
        private String policy;

        @Option(names = "--policy-arns", arity = "1..*", paramLabel = "ARN")
        private List<String> policyArns = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            Directory directory = directoryOptions.load(err);
            if (directory == null) {
                return Exit.USAGE;
            }
            Sts sts = new Sts(directory, parent.parent().clock(), new SecureRandom());
            try {
                IssuedSession issued = sts.assumeRoleWithWebIdentity(new WebIdentityRequest(roleArn, roleSessionName,
                        StsOutput.inlineOrFile(token), durationSeconds, StsOutput.inlineOrFile(policy), arns(policyArns)));
                output.print(spec.commandLine().getOut(), issued, directory.role(roleArn).id(),
                        policy != null || !policyArns.isEmpty());
                return Exit.OK;
            } catch (StsException e) {
                err.println(StsOutput.error("AssumeRoleWithWebIdentity", e));
                return Exit.FAILED;
            }
        }
    }

    /** {@code gavel sts assume-role-with-saml}. */
    @Command(name = "assume-role-with-saml",
            mixinStandardHelpOptions = true,
            description = "Assume a role with a signed SAML response from a provider the role's account trusts, as "
                    + "'aws sts assume-role-with-saml' does.")
    static final class Saml implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @ParentCommand
        private StsCommand parent;

        @Mixin
        private DirectoryOptions directoryOptions;

        @Mixin
        private StsOutput output;

        @Option(names = "--role-arn", required = true, paramLabel = "ARN")
        private String roleArn;

        @Option(names = "--principal-arn", required = true, paramLabel = "ARN", description = "The SAML provider.")
        private String principalArn;

        @Option(names = "--saml-assertion", required = true, paramLabel = "BASE64",
                description = "The base64 SAML response, or file://PATH.")
        private String assertion;

        @Option(names = "--duration-seconds", paramLabel = "SECONDS")
        private Integer durationSeconds;

        @Option(names = "--policy", paramLabel = "JSON", description = "An inline session policy, or file://PATH.")
        private String policy;

        @Option(names = "--policy-arns", arity = "1..*", paramLabel = "ARN")
        private List<String> policyArns = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            Directory directory = directoryOptions.load(err);
            if (directory == null) {
                return Exit.USAGE;
            }
            Sts sts = new Sts(directory, parent.parent().clock(), new SecureRandom());
            try {
                IssuedSession issued = sts.assumeRoleWithSaml(new SamlRequest(roleArn, principalArn,
                        StsOutput.inlineOrFile(assertion), durationSeconds, StsOutput.inlineOrFile(policy),
                        arns(policyArns)));
                output.print(spec.commandLine().getOut(), issued, directory.role(roleArn).id(),
                        policy != null || !policyArns.isEmpty());
                return Exit.OK;
            } catch (StsException e) {
                err.println(StsOutput.error("AssumeRoleWithSAML", e));
                return Exit.FAILED;
            }
        }
    }

    static List<String> arns(List<String> values) {
        return values.stream().map(a -> a.startsWith("arn=") ? a.substring(4) : a).toList();
    }
}
