package dev.gavel.directory;

import java.util.List;

/**
 * An IAM OpenID Connect identity provider: the issuer it trusts, the audiences (client ids) it
 * accepts, and the issuer's public signing keys as a JSON Web Key Set.
 *
 * @param arn {@code arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH}
 * @param url the issuer URL, such as {@code https://token.actions.githubusercontent.com}
 * @param jwks the issuer's JSON Web Key Set (public keys only), as JSON text
 */
public record OidcProvider(String arn, String accountId, String url, List<String> clientIds, List<String> thumbprints,
        String jwks) {

    public OidcProvider {
        clientIds = List.copyOf(clientIds);
        thumbprints = List.copyOf(thumbprints);
    }

    /** The issuer without its scheme: {@code token.actions.githubusercontent.com}, the prefix of its condition keys. */
    public String host() {
        String host = url.startsWith("https://") ? url.substring("https://".length()) : url;
        return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    }
}
