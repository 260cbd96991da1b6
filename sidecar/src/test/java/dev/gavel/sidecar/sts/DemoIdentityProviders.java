package dev.gavel.sidecar.sts;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gavel.sts.SamlTestIdp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.w3c.dom.Document;

/**
 * Sign-ins through the demo directory's identity providers, signed with their test keys from the
 * engine's test jar (see corpus/demo/README.md): GitHub Actions ID tokens and ExampleIdP's SAML
 * responses, valid now.
 */
final class DemoIdentityProviders {

    static final String MAIN_BRANCH = "repo:example-org/payments-service:ref:refs/heads/main";

    private DemoIdentityProviders() {}

    /** A GitHub Actions ID token for {@code subject}, audience {@code sts.amazonaws.com}. */
    static String githubToken(String subject) throws Exception {
        RSAKey key;
        try (InputStream in = DemoIdentityProviders.class.getResourceAsStream(
                "/dev/gavel/demo/github-oidc-private-jwk.json")) {
            key = RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("https://token.actions.githubusercontent.com")
                .subject(subject)
                .audience(List.of("sts.amazonaws.com"))
                .issueTime(Date.from(now.minusSeconds(60)))
                .notBeforeTime(Date.from(now.minusSeconds(60)))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /**
     * A SAML response of ExampleIdP, base64, signing {@code user} in to SamlAnalystRole as the
     * session's name and source identity, with the session tags {@code key, value, key, value...}.
     */
    static String exampleIdpResponse(String user, String... tags) throws Exception {
        SamlTestIdp idp = SamlTestIdp.load("/dev/gavel/demo/example-idp.p12");
        SamlTestIdp.Response response = new SamlTestIdp.Response(Instant.now())
                .issuer("https://idp.example.com/saml/metadata")
                .attribute("https://aws.amazon.com/SAML/Attributes/Role",
                        StsServer.ANALYST_ROLE + "," + StsServer.SAML_PROVIDER)
                .attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", user)
                .attribute("https://aws.amazon.com/SAML/Attributes/SourceIdentity", user);
        for (int i = 0; i < tags.length; i += 2) {
            response.attribute("https://aws.amazon.com/SAML/Attributes/PrincipalTag:" + tags[i], tags[i + 1]);
        }
        Document document = response.build();
        idp.signAssertion(document);
        return SamlTestIdp.encode(document);
    }
}
