package dev.gavel.directory;

/** Placeholder replaced when the SAML metadata reader lands. */
final class SamlMetadataCheck {

    private SamlMetadataCheck() {}

    static String problem(String metadataXml) {
        return metadataXml.contains("EntityDescriptor") ? null : "not SAML metadata: no EntityDescriptor";
    }
}
