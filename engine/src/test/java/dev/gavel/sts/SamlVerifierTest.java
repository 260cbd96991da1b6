package dev.gavel.sts;

import dev.gavel.saml.SamlMetadata;
import dev.gavel.saml.SamlMetadataException;
import dev.gavel.saml.SecureXml;
import static dev.gavel.sts.SamlTestIdp.ASSERTION;
import static dev.gavel.sts.SamlTestIdp.ENTITY_ID;
import static dev.gavel.sts.SamlTestIdp.PROTOCOL;
import static dev.gavel.sts.SamlTestIdp.SIGN_IN;
import static dev.gavel.sts.SamlTestIdp.assertionOf;
import static dev.gavel.sts.SamlTestIdp.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.gavel.directory.SamlProvider;
import dev.gavel.directory.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** SAML responses signed by a test identity provider, and the ways an attacker alters them. */
class SamlVerifierTest {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String ACCOUNT = "123456789012";
    static final String PROVIDER_ARN = "arn:aws:iam::123456789012:saml-provider/MySAMLIdP";
    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/Federated";
    static final String ROLE_PAIR = ROLE_ARN + "," + PROVIDER_ARN;
    static final String EDU_AFFILIATION = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1";
    static final String EDU_PRINCIPAL_NAME = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6";
    static final String AD_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    static final String X500_SURNAME = "2.5.4.4";

    static SamlTestIdp idp;
    static SamlTestIdp other;
    static SamlProvider provider;

    final SamlVerifier verifier = new SamlVerifier(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void loadKeys() throws Exception {
        idp = SamlTestIdp.load("saml-idp.p12");
        other = SamlTestIdp.load("saml-other.p12");
        provider = new SamlProvider(PROVIDER_ARN, ACCOUNT, "MySAMLIdP", idp.metadata(other.certificate));
    }

    /** A response that grants {@link #ROLE_ARN} to session {@code alice}, not yet signed. */
    static SamlTestIdp.Response response() {
        return new SamlTestIdp.Response(NOW).attribute(SamlVerifier.ROLE, ROLE_PAIR)
                .attribute(SamlVerifier.ROLE_SESSION_NAME, "alice@example.com");
    }

    static Document signed(SamlTestIdp.Response response) throws Exception {
        Document document = response.build();
        idp.signAssertion(document);
        return document;
    }

    VerifiedSaml verify(Document document) throws Exception {
        return verifier.verify(encode(document), provider, ROLE_ARN);
    }

    void refused(Document document, String code, String message) throws Exception {
        refused(encode(document), code, message);
    }

    void refused(String base64, String code, String message) {
        assertThatThrownBy(() -> verifier.verify(base64, provider, ROLE_ARN))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    @Test
    void signedAssertionYieldsTheDocumentedContextKeys() throws Exception {
        VerifiedSaml saml = verify(signed(response()
                .attribute(SamlVerifier.SESSION_DURATION, "3600")
                .attribute(EDU_AFFILIATION, "faculty", "staff")
                .attribute(EDU_PRINCIPAL_NAME, "alice@example.edu", "ignored@example.edu")
                .attribute(AD_EMAIL, "alice@example.com")
                .attribute(X500_SURNAME, "Liddell")
                .attribute("https://example.com/unmapped", "x")));

        assertThat(saml.issuer()).isEqualTo(ENTITY_ID);
        assertThat(saml.subject()).isEqualTo("_cbb88bf52c2510eabe00c1642d4643f41430fe25e3");
        assertThat(saml.subjectType()).isEqualTo("persistent");
        assertThat(saml.audience()).isEqualTo(SIGN_IN);
        assertThat(saml.sessionName()).isEqualTo("alice@example.com");
        assertThat(saml.sessionDuration()).isEqualTo(3600);
        assertThat(saml.attributes()).containsEntry("https://example.com/unmapped", List.of("x"));
        // The example of the IAM User Guide: BASE64(SHA1("https://example.com/saml" + "123456789012" + "/MySAMLIdP")).
        assertThat(saml.nameQualifier()).isEqualTo("1uAJanUnBc2XeUkHURMht+xam2c=");
        assertThat(saml.contextKeys()).containsExactly(
                entry("saml:aud", List.of(SIGN_IN)),
                entry("saml:iss", List.of(ENTITY_ID)),
                entry("saml:sub", List.of("_cbb88bf52c2510eabe00c1642d4643f41430fe25e3")),
                entry("saml:sub_type", List.of("persistent")),
                entry("saml:namequalifier", List.of("1uAJanUnBc2XeUkHURMht+xam2c=")),
                entry("saml:doc", List.of("123456789012/MySAMLIdP")),
                entry("saml:edupersonaffiliation", List.of("faculty", "staff")),
                entry("saml:edupersonprincipalname", List.of("alice@example.edu")),
                entry("saml:mail", List.of("alice@example.com")),
                entry("saml:surname", List.of("Liddell")),
                entry("aws:FederatedProvider", List.of(PROVIDER_ARN)));
    }

    @Test
    void signedResponseCoversItsAssertion() throws Exception {
        Document document = response().build();
        idp.signResponse(document);

        assertThat(verify(document).sessionDuration()).isNull();
    }

    @Test
    void rolePairMayNameTheProviderFirst() throws Exception {
        SamlTestIdp.Response response = response().attribute(SamlVerifier.ROLE,
                "arn:aws:iam::123456789012:role/Other," + PROVIDER_ARN, PROVIDER_ARN + ", " + ROLE_ARN);
        response.nameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

        VerifiedSaml saml = verify(signed(response));

        assertThat(saml.subjectType()).isEqualTo("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        assertThat(saml.contextKeys()).containsEntry("saml:sub_type",
                List.of("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"));
    }

    @Test
    void commentInsideSignedNameIdDoesNotTruncateIt() throws Exception {
        SamlTestIdp.Response response = response();
        response.nameId = "alice@example.com.evil.example";
        Document document = signed(response);
        Element nameId = (Element) document.getElementsByTagNameNS(ASSERTION, "NameID").item(0);
        nameId.setTextContent("alice@example.com");
        nameId.appendChild(document.createComment("split"));
        nameId.appendChild(document.createTextNode(".evil.example"));

        assertThat(verify(document).subject()).isEqualTo("alice@example.com.evil.example");
    }

    @Test
    void refusesUnsignedResponse() throws Exception {
        refused(response().build(), "InvalidIdentityToken", "neither the Response nor its Assertion is signed");
    }

    @Test
    void refusesResponseSignedByAnotherKey() throws Exception {
        Document document = response().build();
        other.signAssertion(document);

        refused(document, "InvalidIdentityToken", "Response signature invalid");
    }

    @Test
    void refusesAssertionAlteredAfterSigning() throws Exception {
        Document document = signed(response());
        document.getElementsByTagNameNS(ASSERTION, "NameID").item(0).setTextContent("admin");

        refused(document, "InvalidIdentityToken", "Response signature invalid");
    }

    @Test
    void refusesRoleAddedAfterSigning() throws Exception {
        Document document = signed(response().attribute(SamlVerifier.ROLE, "arn:aws:iam::123456789012:role/Other,"
                + PROVIDER_ARN));
        Element value = (Element) document.getElementsByTagNameNS(ASSERTION, "AttributeValue").item(0);
        value.setTextContent(ROLE_PAIR);

        refused(document, "InvalidIdentityToken", "Response signature invalid");
    }

    @Test
    void refusesSecondUnsignedAssertion() throws Exception {
        Document document = signed(response());
        Document forged = forgedAssertion();
        Element evil = (Element) document.importNode(assertionOf(forged), true);
        document.getDocumentElement().appendChild(evil);

        refused(document, "InvalidIdentityToken", "exactly one Assertion");
    }

    @Test
    void refusesSignedAssertionMovedAsideForAForgedOne() throws Exception {
        Document document = signed(response());
        Element response = document.getDocumentElement();
        Element genuine = assertionOf(document);
        Element extensions = document.createElementNS(PROTOCOL, "samlp:Extensions");
        response.insertBefore(extensions, genuine);
        extensions.appendChild(genuine);
        response.appendChild(document.importNode(assertionOf(forgedAssertion()), true));

        refused(document, "InvalidIdentityToken", "exactly one Assertion");
    }

    @Test
    void refusesSignatureThatDoesNotEnvelopWhatItSigns() throws Exception {
        // The assertion's valid signature, moved up to the Response, still references the assertion.
        Document document = signed(response());
        Element response = document.getDocumentElement();
        Element signature = (Element) assertionOf(document).getElementsByTagNameNS(SecureXml.DSIG_NS, "Signature")
                .item(0);
        response.insertBefore(signature, response.getFirstChild().getNextSibling());

        refused(document, "InvalidIdentityToken", "must reference the element that contains it");
    }

    @Test
    void refusesResponseAndAssertionSharingAnId() throws Exception {
        Document document = signed(response());
        document.getDocumentElement().setAttribute("ID", "_assertion1");

        refused(document, "InvalidIdentityToken", "the same ID");
    }

    @Test
    void refusesSha1Signature() throws Exception {
        Document document = response().build();
        idp.sign(assertionOf(document), "http://www.w3.org/2000/09/xmldsig#rsa-sha1");

        refused(document, "InvalidIdentityToken", "rsa-sha1");
    }

    @Test
    void refusesAnotherIssuer() throws Exception {
        SamlTestIdp.Response response = response();
        response.issuer = "https://evil.example.com/saml";

        refused(signed(response), "InvalidIdentityToken", "Issuer not present in specified provider");
    }

    @Test
    void refusesExpiredConditions() throws Exception {
        SamlTestIdp.Response response = response();
        response.notOnOrAfter = NOW;

        refused(signed(response), "ExpiredTokenException", "Conditions NotOnOrAfter");
    }

    @Test
    void refusesExpiredSubjectConfirmation() throws Exception {
        SamlTestIdp.Response response = response();
        response.confirmationNotOnOrAfter = NOW.minusSeconds(1);

        refused(signed(response), "ExpiredTokenException", "SubjectConfirmationData NotOnOrAfter");
    }

    @Test
    void refusesAssertionNotYetValid() throws Exception {
        SamlTestIdp.Response response = response();
        response.notBefore = NOW.plus(SamlVerifier.ALLOWED_SKEW).plusSeconds(1);

        refused(signed(response), "InvalidIdentityToken", "not valid yet");
    }

    @Test
    void toleratesSmallClockSkew() throws Exception {
        SamlTestIdp.Response response = response();
        response.notBefore = NOW.plusSeconds(60);

        assertThat(verify(signed(response)).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void acceptsTheWebServicesAudience() throws Exception {
        SamlTestIdp.Response response = response();
        response.audience = "urn:amazon:webservices";

        assertThat(verify(signed(response)).audience()).isEqualTo(SIGN_IN);
    }

    @Test
    void refusesAnotherAudience() throws Exception {
        SamlTestIdp.Response response = response();
        response.audience = "https://app.example.com/saml";

        refused(signed(response), "InvalidIdentityToken", "audience must be");
    }

    @Test
    void refusesAnotherRecipient() throws Exception {
        SamlTestIdp.Response response = response();
        response.recipient = "https://app.example.com/acs";

        refused(signed(response), "InvalidIdentityToken", "Recipient");
    }

    @Test
    void refusesMissingRoleAttribute() throws Exception {
        SamlTestIdp.Response response = response();
        response.attributes.remove(SamlVerifier.ROLE);

        refused(signed(response), "InvalidIdentityToken", "does not allow role " + ROLE_ARN);
    }

    @Test
    void refusesRoleAttributeForAnotherRole() throws Exception {
        refused(signed(response().attribute(SamlVerifier.ROLE, "arn:aws:iam::123456789012:role/Other," + PROVIDER_ARN)),
                "InvalidIdentityToken", "does not allow role " + ROLE_ARN);
    }

    @Test
    void refusesRoleAttributeThroughAnotherProvider() throws Exception {
        refused(signed(response().attribute(SamlVerifier.ROLE,
                ROLE_ARN + ",arn:aws:iam::123456789012:saml-provider/Other")), "InvalidIdentityToken",
                "does not allow role " + ROLE_ARN);
    }

    @Test
    void refusesMissingSessionName() throws Exception {
        SamlTestIdp.Response response = response();
        response.attributes.remove(SamlVerifier.ROLE_SESSION_NAME);

        refused(signed(response), "InvalidIdentityToken", "RoleSessionName is required in AuthnResponse");
    }

    @Test
    void refusesSessionNameWithSpace() throws Exception {
        refused(signed(response().attribute(SamlVerifier.ROLE_SESSION_NAME, "Alice Liddell")),
                "InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
    }

    @Test
    void sessionTagsTransitiveKeysAndSourceIdentityComeFromTheirAttributes() throws Exception {
        VerifiedSaml saml = verify(signed(response()
                .attribute(SamlVerifier.PRINCIPAL_TAG + "Project", "Automation")
                .attribute(SamlVerifier.PRINCIPAL_TAG + "CostCenter", "12345")
                .attribute(SamlVerifier.PRINCIPAL_TAG + "Department", "")
                .attribute(SamlVerifier.TRANSITIVE_TAG_KEYS, "Project", "CostCenter")
                .attribute(SamlVerifier.SOURCE_IDENTITY, "DiegoRamirez")));

        assertThat(saml.sessionClaims().tags()).containsExactly(new Tag("Project", "Automation"),
                new Tag("CostCenter", "12345"), new Tag("Department", ""));
        assertThat(saml.sessionClaims().transitiveTagKeys()).containsExactly("Project", "CostCenter");
        assertThat(saml.sessionClaims().sourceIdentity()).isEqualTo("DiegoRamirez");
        // Tags are not among the keys that SAML attributes map to.
        assertThat(saml.contextKeys()).doesNotContainKey("aws:RequestTag/Project");
    }

    @Test
    void anAssertionWithoutThemPassesNoTags() throws Exception {
        assertThat(verify(signed(response())).sessionClaims()).isEqualTo(SessionClaims.NONE);
        // Attribute names are case-sensitive: this is not a session tag.
        assertThat(verify(signed(response().attribute("https://aws.amazon.com/SAML/Attributes/principaltag:team", "x")))
                .sessionClaims().tags()).isEmpty();
    }

    @Test
    void refusesAMultivaluedSessionTag() throws Exception {
        refused(signed(response().attribute(SamlVerifier.PRINCIPAL_TAG + "Department", "Engineering", "Marketing")),
                "InvalidIdentityToken", "multivalued session tags are not supported");
        refused(signed(response().attribute(SamlVerifier.PRINCIPAL_TAG + "Department")),
                "InvalidIdentityToken", "must have exactly one AttributeValue, not 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Diego Ramirez", "d", "aws:Diego", "diego#1"})
    void refusesASourceIdentityOutsideThePattern(String sourceIdentity) throws Exception {
        refused(signed(response().attribute(SamlVerifier.SOURCE_IDENTITY, sourceIdentity)), "InvalidIdentityToken",
                "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"");
    }

    @Test
    void refusesTwoSourceIdentities() throws Exception {
        refused(signed(response().attribute(SamlVerifier.SOURCE_IDENTITY, "Diego", "Saanvi")), "InvalidIdentityToken",
                "Source Identity must match");
    }

    @Test
    void refusesSessionDurationOutOfRange() throws Exception {
        refused(signed(response().attribute(SamlVerifier.SESSION_DURATION, "899")), "InvalidIdentityToken",
                "SessionDuration");
        refused(signed(response().attribute(SamlVerifier.SESSION_DURATION, "43201")), "InvalidIdentityToken",
                "SessionDuration");
    }

    @Test
    void refusesDocumentWithDtd() throws Exception {
        String xml = SamlTestIdp.xml(signed(response()));
        String withDtd = "<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + xml;

        refused(encode(withDtd), "InvalidIdentityToken", "DOCTYPE");
    }

    @Test
    void refusesResponseThatIsNotBase64() {
        refused("not base64 at all!", "InvalidIdentityToken", "not base64");
    }

    @Test
    void refusesResponseThatIsNotSaml() {
        refused(encode("<html/>"), "InvalidIdentityToken", "not a SAML 2.0 samlp:Response");
    }

    @Test
    void reportsAuthenticationFailureOfTheIdentityProvider() throws Exception {
        SamlTestIdp.Response response = response();
        response.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";

        refused(signed(response), "IDPRejectedClaim", "authentication failed");
    }

    @Test
    void refusesProviderWithUnusableMetadata() throws Exception {
        SamlProvider broken = new SamlProvider(PROVIDER_ARN, ACCOUNT, "MySAMLIdP", "<html/>");
        String base64 = encode(signed(response()));

        assertThatThrownBy(() -> verifier.verify(base64, broken, ROLE_ARN))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo("InvalidInput"));
    }

    /** An assertion an attacker writes: admin, signed by no one. */
    static Document forgedAssertion() throws Exception {
        SamlTestIdp.Response forged = response();
        forged.nameId = "admin";
        return forged.build();
    }

    @Nested
    class Metadata {

        @Test
        void readsEntityIdAndSigningCertificatesOnly() throws Exception {
            SamlMetadata metadata = SamlMetadata.parse(idp.metadata(other.certificate));

            assertThat(metadata.entityId()).isEqualTo(ENTITY_ID);
            assertThat(metadata.certificates()).containsExactly(idp.certificate);
        }

        @Test
        void keyDescriptorWithoutUseSigns() throws Exception {
            String metadata = idp.metadata(other.certificate).replace("use=\"encryption\"", "");

            assertThat(SamlMetadata.parse(metadata).certificates()).containsExactly(other.certificate, idp.certificate);
        }

        @Test
        void refusesDtd() throws Exception {
            String metadata = "<!DOCTYPE md:EntityDescriptor [<!ENTITY x \"y\">]>" + idp.metadata(other.certificate);

            assertThatThrownBy(() -> SamlMetadata.parse(metadata))
                    .isInstanceOf(SamlMetadataException.class)
                    .hasMessageContaining("DOCTYPE");
        }

        @Test
        void refusesDocumentThatIsNotMetadata() {
            assertThatThrownBy(() -> SamlMetadata.parse("<EntityDescriptor entityID=\"x\"/>"))
                    .isInstanceOf(SamlMetadataException.class)
                    .hasMessageContaining("md:EntityDescriptor");
        }

        @Test
        void refusesMetadataWithoutSigningCertificate() throws Exception {
            String metadata = idp.metadata(other.certificate).replace("use=\"signing\"", "use=\"encryption\"");

            assertThatThrownBy(() -> SamlMetadata.parse(metadata))
                    .isInstanceOf(SamlMetadataException.class)
                    .hasMessageContaining("no signing certificate");
        }
    }
}
