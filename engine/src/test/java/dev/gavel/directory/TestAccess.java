package dev.gavel.directory;

/** Gives tests in other packages the directory's package-private helpers. */
public final class TestAccess {

    private TestAccess() {}

    public static byte[] base32(String text) {
        return Base32.decode(text);
    }
}
