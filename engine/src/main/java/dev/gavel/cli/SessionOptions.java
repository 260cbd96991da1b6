package dev.gavel.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every role-assuming STS command shares: how long, and which session policies. */
final class SessionOptions {

    @Option(names = "--duration-seconds", paramLabel = "SECONDS")
    Integer durationSeconds;

    @Option(names = "--policy", paramLabel = "JSON", description = "An inline session policy, or file://PATH.")
    String policy;

    @Option(names = "--policy-arns", arity = "1..*", paramLabel = "ARN",
            description = "Managed session policies: arn=ARN or ARN.")
    List<String> policyArns = new ArrayList<>();

    /** The inline policy's text, read from its file when given as {@code file://PATH}. */
    String policyText() throws IOException {
        return StsOutput.inlineOrFile(policy);
    }

    /** The managed policy ARNs, without the AWS CLI's {@code arn=} shorthand. */
    List<String> arns() {
        return policyArns.stream().map(a -> a.startsWith("arn=") ? a.substring(4) : a).toList();
    }
}
