package dev.gavel.saml;

/** A SAML metadata document that cannot be used, and why. */
public final class SamlMetadataException extends Exception {

    private static final long serialVersionUID = 1L;

    public SamlMetadataException(String message) {
        super(message);
    }
}
