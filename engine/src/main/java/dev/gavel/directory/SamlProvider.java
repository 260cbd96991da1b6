package dev.gavel.directory;

/**
 * An IAM SAML identity provider, as created from the identity provider's SAML metadata document
 * (which names its entity id and holds its signing certificates).
 *
 * @param arn {@code arn:aws:iam::ACCOUNT:saml-provider/NAME}
 */
public record SamlProvider(String arn, String accountId, String name, String metadataXml) {}
