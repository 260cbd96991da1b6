package dev.gavel.sidecar.source;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SHA-256 digests as users write them. A digest file is what {@code sha256sum FILE} prints,
 * {@code HEX  NAME} (or {@code HEX *NAME}, or the bare digest); BSD's {@code SHA256 (NAME) = HEX}
 * ({@code shasum -a 256 --tag}, {@code openssl dgst -sha256}) is read too. Only the first line
 * counts. A pinned digest is the hex, or {@code sha256:HEX} as instances report it.
 */
final class Checksums {

    /** The largest digest or signature file read. */
    static final int MAX_FILE = 4096;

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SHA256SUM = Pattern.compile("([0-9a-fA-F]{64})(?:\\s+\\*?.*)?");
    private static final Pattern BSD = Pattern.compile("SHA2?-?256\\s*\\(.*\\)\\s*=\\s*([0-9a-fA-F]{64})");

    private Checksums() {}

    /** The digest in a digest file, in lower case, or null when the file holds none. */
    static String parseFile(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).strip();
        Matcher matcher = SHA256SUM.matcher(line);
        if (matcher.matches()) {
            return matcher.group(1).toLowerCase(Locale.ROOT);
        }
        matcher = BSD.matcher(line);
        return matcher.matches() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** A pinned digest, in lower case, or null when it is not 64 hex digits (with or without {@code sha256:}). */
    static String parsePin(String pin) {
        String hex = pin.strip();
        if (hex.regionMatches(true, 0, "sha256:", 0, 7)) {
            hex = hex.substring(7);
        }
        return HEX.matcher(hex).matches() ? hex.toLowerCase(Locale.ROOT) : null;
    }

    /** The digest file of a bundle, as {@code sha256sum} writes it. */
    static String fileText(String hex, String bundleName) {
        return hex + "  " + bundleName + "\n";
    }
}
