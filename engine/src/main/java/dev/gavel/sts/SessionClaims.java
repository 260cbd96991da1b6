package dev.gavel.sts;

import dev.gavel.directory.Tag;
import java.util.List;

/**
 * What an identity provider asks for the session besides naming the user: session tags, the keys
 * of those that pass on to chained sessions, and a source identity ("Passing session tags in AWS
 * STS" and "Monitor and control actions taken with assumed roles" in the IAM User Guide).
 *
 * <p>{@link SamlVerifier} reads them from the assertion's {@code PrincipalTag:KEY},
 * {@code TransitiveTagKeys} and {@code SourceIdentity} attributes, {@link WebIdentityVerifier} from
 * the token's {@code https://aws.amazon.com/tags} and {@code https://aws.amazon.com/source_identity}
 * claims. The verifiers check only the shapes AWS documents (one value per tag, one source
 * identity); the rules on the tags themselves are {@code StsRules}', the same for every flow.
 *
 * @param tags the session tags, in the provider's order
 * @param transitiveTagKeys the keys of the tags that pass on to sessions chained from this one
 * @param sourceIdentity the source identity, or null when the provider sets none
 */
public record SessionClaims(List<Tag> tags, List<String> transitiveTagKeys, String sourceIdentity) {

    /** A provider that passes no tags and no source identity. */
    public static final SessionClaims NONE = new SessionClaims(List.of(), List.of(), null);

    public SessionClaims {
        tags = List.copyOf(tags);
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
    }
}
