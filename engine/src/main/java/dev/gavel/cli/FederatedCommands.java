package dev.gavel.cli;

import dev.gavel.directory.Directory;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.SamlRequest;
import dev.gavel.sts.Sts;
import dev.gavel.sts.StsException;
import dev.gavel.sts.WebIdentityRequest;
import java.io.IOException;
import java.io.PrintWriter;
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

        @Mixin
        private SessionOptions session;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            Directory directory = directoryOptions.load(err);
            if (directory == null) {
                return Exit.USAGE;
            }
            Sts sts = parent.sts(directory);
            try {
                IssuedSession issued = sts.assumeRoleWithWebIdentity(WebIdentityRequest.of(roleArn, roleSessionName,
                        StsOutput.inlineOrFile(token)).withDurationSeconds(session.durationSeconds)
                        .withPolicy(session.policyText()).withPolicyArns(session.arns()));
                output.print(spec.commandLine().getOut(), issued, directory.role(roleArn).id());
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

        @Mixin
        private SessionOptions session;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            Directory directory = directoryOptions.load(err);
            if (directory == null) {
                return Exit.USAGE;
            }
            Sts sts = parent.sts(directory);
            try {
                IssuedSession issued = sts.assumeRoleWithSaml(SamlRequest.of(roleArn, principalArn,
                        StsOutput.inlineOrFile(assertion)).withDurationSeconds(session.durationSeconds)
                        .withPolicy(session.policyText()).withPolicyArns(session.arns()));
                output.print(spec.commandLine().getOut(), issued, directory.role(roleArn).id());
                return Exit.OK;
            } catch (StsException e) {
                err.println(StsOutput.error("AssumeRoleWithSAML", e));
                return Exit.FAILED;
            }
        }
    }
}
