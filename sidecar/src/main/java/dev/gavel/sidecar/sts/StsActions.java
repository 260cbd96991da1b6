package dev.gavel.sidecar.sts;

import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.Role;
import dev.gavel.eval.RequestContext;
import dev.gavel.sts.AssumeRoleRequest;
import dev.gavel.sts.IssuedSession;
import dev.gavel.sts.SamlRequest;
import dev.gavel.sts.SessionTokenRequest;
import dev.gavel.sts.Sts;
import dev.gavel.sts.StsException;
import dev.gavel.sts.WebIdentityRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The five actions over one directory: each reads its parameters as AWS names them, runs the
 * engine's STS flow ({@link Sts}), and writes the result element of AWS's answer. The flows check
 * the parameters' values and the trust policies; this class only carries them across.
 */
final class StsActions {

    /** A caller whose signature was verified, and the region its signature was scoped to. */
    record Caller(Identity identity, String region) {}

    private final Directory directory;
    private final Sts sts;

    StsActions(Directory directory, Clock clock, SecureRandom random) {
        this.directory = directory;
        this.sts = new Sts(directory, clock, random);
    }

    Directory directory() {
        return directory;
    }

    Sts sts() {
        return sts;
    }

    /**
     * Runs an action and returns its {@code ...Response} document.
     *
     * @param caller the verified caller of a signed action; null for the unsigned ones
     */
    String answer(StsAction action, ActionParameters parameters, Caller caller, String requestId)
            throws StsException {
        StsXml xml = StsXml.result(action.awsName());
        switch (action) {
            case ASSUME_ROLE -> assumeRole(parameters, caller, xml);
            case ASSUME_ROLE_WITH_WEB_IDENTITY -> webIdentity(parameters, xml);
            case ASSUME_ROLE_WITH_SAML -> saml(parameters, xml);
            case GET_SESSION_TOKEN -> sessionToken(parameters, caller, xml);
            case GET_CALLER_IDENTITY -> callerIdentity(parameters, caller, xml);
        }
        return xml.finish(action.awsName(), requestId);
    }

    private void assumeRole(ActionParameters parameters, Caller caller, StsXml xml) throws StsException {
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder(parameters.required("RoleArn"),
                        parameters.required("RoleSessionName"))
                .policyArns(parameters.list("PolicyArns", "arn"))
                .policy(parameters.optional("Policy"))
                .durationSeconds(parameters.integer("DurationSeconds"))
                .tags(parameters.tags("Tags"))
                .transitiveTagKeys(parameters.list("TransitiveTagKeys"))
                .externalId(parameters.optional("ExternalId"))
                .mfa(parameters.optional("SerialNumber"), parameters.optional("TokenCode"))
                .sourceIdentity(parameters.optional("SourceIdentity"))
                // AWS sets aws:RequestedRegion for every call: here, the region the request was signed for.
                .context(RequestContext.builder().put("aws:RequestedRegion", caller.region()).build());
        parameters.unsupported("ProvidedContexts", "trusted context assertions come from IAM Identity Center");
        parameters.refuseUnread();
        issued(sts.assumeRole(caller.identity(), request.build()), xml);
    }

    private void webIdentity(ActionParameters parameters, StsXml xml) throws StsException {
        WebIdentityRequest request = WebIdentityRequest.of(parameters.required("RoleArn"),
                        parameters.required("RoleSessionName"), parameters.required("WebIdentityToken"))
                .withPolicyArns(parameters.list("PolicyArns", "arn"))
                .withPolicy(parameters.optional("Policy"))
                .withDurationSeconds(parameters.integer("DurationSeconds"));
        parameters.unsupported("ProviderId", "OAuth 2.0 access tokens are not OpenID Connect ID tokens, which "
                + "Gavel verifies against the directory's OIDC providers");
        parameters.refuseUnread();
        issued(sts.assumeRoleWithWebIdentity(request), xml);
    }

    private void saml(ActionParameters parameters, StsXml xml) throws StsException {
        SamlRequest request = SamlRequest.of(parameters.required("RoleArn"), parameters.required("PrincipalArn"),
                        parameters.required("SAMLAssertion"))
                .withPolicyArns(parameters.list("PolicyArns", "arn"))
                .withPolicy(parameters.optional("Policy"))
                .withDurationSeconds(parameters.integer("DurationSeconds"));
        parameters.refuseUnread();
        issued(sts.assumeRoleWithSaml(request), xml);
    }

    private void sessionToken(ActionParameters parameters, Caller caller, StsXml xml) throws StsException {
        SessionTokenRequest request = new SessionTokenRequest(parameters.integer("DurationSeconds"),
                parameters.optional("SerialNumber"), parameters.optional("TokenCode"));
        parameters.refuseUnread();
        IssuedSession issued = sts.getSessionToken(caller.identity(), request);
        credentials(issued, xml);
    }

    /** Who the caller is; AWS answers it whatever the caller's policies say, and so does Gavel. */
    private void callerIdentity(ActionParameters parameters, Caller caller, StsXml xml) throws StsException {
        parameters.refuseUnread();
        Identity identity = caller.identity();
        String userId = identity instanceof Identity.RoleSessionIdentity session
                ? session.role().id() + ":" + session.session().sessionName()
                : ((Identity.UserIdentity) identity).user().id();
        xml.text("UserId", userId).text("Account", identity.accountId()).text("Arn", identity.principalArn());
    }

    /**
     * A role session's result, in the order of AWS's answers: {@code Credentials}, then
     * {@code SubjectFromWebIdentityToken} for web identity, {@code AssumedRoleUser},
     * {@code PackedPolicySize} when the request passed session policies or tags, and the flow's own
     * fields ({@code Provider}, {@code Audience}; SAML's {@code Subject}, {@code Issuer}...;
     * {@code SourceIdentity} when one is set).
     */
    private void issued(IssuedSession issued, StsXml xml) {
        Map<String, String> details = issued.details();
        credentials(issued, xml);
        xml.text("SubjectFromWebIdentityToken", details.get("SubjectFromWebIdentityToken"));
        Role role = directory.role(issued.session().roleArn());
        xml.start("AssumedRoleUser")
                .text("AssumedRoleId", issued.assumedRoleId(role.id()))
                .text("Arn", issued.session().principalArn())
                .end("AssumedRoleUser");
        if (issued.packedPolicySize() != null) {
            xml.text("PackedPolicySize", issued.packedPolicySize().toString());
        }
        details.forEach((name, value) -> {
            if (!name.equals("SubjectFromWebIdentityToken")) {
                xml.text(name, value);
            }
        });
    }

    private static void credentials(IssuedSession issued, StsXml xml) {
        xml.start("Credentials")
                .text("AccessKeyId", issued.credentials().accessKeyId())
                .text("SecretAccessKey", issued.credentials().secretAccessKey())
                .text("SessionToken", issued.credentials().sessionToken())
                .text("Expiration", DateTimeFormatter.ISO_INSTANT.format(issued.credentials().expiration()))
                .end("Credentials");
    }
}
