package dev.gavel.sidecar.sts;

import dev.gavel.directory.Directory;
import dev.gavel.json.NameHints;
import dev.gavel.sts.CredentialResolver;
import dev.gavel.sts.SigV4Verifier;
import dev.gavel.sts.SigningSecrets;
import dev.gavel.sts.StsException;
import dev.gavel.sts.VerifiedSignature;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers one STS query request, whatever carried it: reads its parameters, finds the action
 * (refusing a missing one, one Gavel does not answer and another API version), verifies the
 * signature of the actions AWS signs, runs the action against the directory served now, and
 * returns AWS's XML answer or {@code ErrorResponse}.
 *
 * <p>Each directory gets its own {@link StsActions}, made when a request first meets it. Session
 * tokens are sealed with the directory's session keys, so sessions issued before a reload stay
 * valid after it as long as their key is still listed.
 */
final class StsEndpoint {

    /**
     * An answer: its HTTP status and XML document; for metrics, the action ({@code other} when the
     * request named none that Gavel answers) and the outcome, {@code ok} or the error code.
     */
    record Reply(int status, String body, String action, String outcome) {}

    static final String OTHER_ACTION = "other";

    private static final List<String> ACTION_NAMES = Arrays.stream(StsAction.values()).map(StsAction::awsName)
            .toList();

    private final Supplier<Directory> directory;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile StsActions current;

    /** @param directory the directory served now, asked at each request */
    StsEndpoint(Supplier<Directory> directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    Reply answer(QueryRequest request, String requestId) {
        String label = OTHER_ACTION;
        try {
            Map<String, String> parameters = request.parameters();
            String name = parameters.get("Action");
            StsAction action = action(name, parameters.get("Version"));
            label = action.awsName();
            StsActions actions = actions();
            StsActions.Caller caller = action.signed() ? authenticate(request, actions) : null;
            String body = actions.answer(action, new ActionParameters(name, parameters), caller, requestId);
            return new Reply(200, body, label, "ok");
        } catch (StsException e) {
            return error(label, e.code(), e.getMessage(), requestId);
        }
    }

    /** An {@code ErrorResponse} with the code's status and fault type. */
    static Reply error(String action, String code, String message, String requestId) {
        StsErrors.Status status = StsErrors.of(code);
        return new Reply(status.httpStatus(), StsXml.error(status.sender(), code, message, requestId), action, code);
    }

    private static StsAction action(String name, String version) throws StsException {
        if (name == null || name.isEmpty()) {
            throw new StsException(StsErrors.MISSING_ACTION, "The request has no Action: give one of "
                    + String.join(", ", ACTION_NAMES) + ", with Version=" + StsAction.VERSION);
        }
        StsAction action = StsAction.named(name);
        if (action == null && StsAction.UNSUPPORTED.contains(name)) {
            throw new StsException(StsErrors.INVALID_ACTION, "Gavel does not support the STS action " + name
                    + "; it answers " + String.join(", ", ACTION_NAMES));
        }
        if (action == null) {
            String hint = NameHints.closest(name, ACTION_NAMES);
            throw new StsException(StsErrors.INVALID_ACTION, "Could not find operation " + name + " for version "
                    + (version == null ? "NO_VERSION_SPECIFIED" : version)
                    + (hint == null ? "" : ": did you mean " + hint + "?"));
        }
        if (!StsAction.VERSION.equals(version)) {
            throw new StsException(StsErrors.INVALID_ACTION, "Could not find operation " + name + " for version "
                    + (version == null ? "NO_VERSION_SPECIFIED" : version) + ": STS has one version, "
                    + StsAction.VERSION);
        }
        return action;
    }

    /** The request's verified caller: its signature checked with SigV4, scoped to the service {@code sts}. */
    private StsActions.Caller authenticate(QueryRequest request, StsActions actions) throws StsException {
        Resolving secrets = new Resolving(actions.sts().credentials());
        VerifiedSignature signature = new SigV4Verifier(secrets, clock).verify(request.signed());
        if (!"sts".equals(signature.service())) {
            throw new StsException(StsErrors.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped to correct service: 'sts'.");
        }
        return new StsActions.Caller(secrets.resolved.identity(), signature.region());
    }

    private StsActions actions() {
        Directory served = directory.get();
        StsActions actions = current;
        if (actions == null || actions.directory() != served) {
            actions = new StsActions(served, clock, random);
            current = actions;
        }
        return actions;
    }

    /** Resolves the credentials a signature names once, for the verifier's secret and then for the caller. */
    private static final class Resolving implements SigningSecrets {
        private final CredentialResolver resolver;
        private CredentialResolver.Resolved resolved;

        Resolving(CredentialResolver resolver) {
            this.resolver = resolver;
        }

        @Override
        public String secretFor(String accessKeyId, String sessionToken) throws StsException {
            resolved = resolver.resolve(accessKeyId, sessionToken);
            return resolved.secretAccessKey();
        }
    }
}
