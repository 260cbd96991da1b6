package dev.gavel.gateway;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The bucket and object key a request addresses, from its host (virtual-hosted style) or the
 * first segment of its path (path style).
 *
 * @param bucket the bucket, or null for a request to the service itself ({@code ListBuckets})
 * @param key the object key, percent-decoded (a raw {@code +} is a space, as S3 reads it); empty for a
 *     request to the bucket
 */
record S3Address(String bucket, String key) {

    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private static final int MAX_KEY_BYTES = 1024;

    /**
     * Reads the address of a request.
     *
     * @param hostBucket the bucket named by the host in virtual-hosted style, or null for path style
     * @param rawPath the request's path, still percent-encoded
     */
    static S3Address of(String hostBucket, String rawPath) throws GatewayException {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (path.charAt(0) != '/') {
            throw new GatewayException("InvalidURI", 400, "Couldn't parse the specified URI: the path must "
                    + "start with '/'.");
        }
        String bucket = hostBucket;
        String rawKey = path.substring(1);
        if (bucket == null) {
            if (rawKey.isEmpty()) {
                return new S3Address(null, "");
            }
            int slash = rawKey.indexOf('/');
            bucket = decode(slash < 0 ? rawKey : rawKey.substring(0, slash));
            rawKey = slash < 0 ? "" : rawKey.substring(slash + 1);
        }
        checkBucketName(bucket);
        String key = decode(rawKey);
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new GatewayException("KeyTooLongError", 400, "Your key is too long: S3 keys are at most "
                    + MAX_KEY_BYTES + " bytes of UTF-8.");
        }
        return new S3Address(bucket, key);
    }

    /** Percent-decodes a path; S3 reads a raw {@code +} in a path as a space, as in a query, and so does this. */
    private static String decode(String raw) throws GatewayException {
        String decoded = UriParts.decode(raw, true);
        if (decoded == null) {
            throw new GatewayException("InvalidURI", 400, "Couldn't parse the specified URI: the path is not "
                    + "valid percent-encoded UTF-8.");
        }
        return decoded;
    }

    /**
     * S3's rules for a general purpose bucket's name: 3 to 63 lower-case letters, digits, dots and
     * hyphens, beginning and ending with a letter or digit, no two dots side by side, not an IPv4
     * address, and none of the prefixes and suffixes S3 keeps for itself.
     */
    static void checkBucketName(String bucket) throws GatewayException {
        String problem = bucketNameProblem(bucket);
        if (problem != null) {
            throw new GatewayException("InvalidBucketName", 400, "The specified bucket is not valid: '" + bucket
                    + "' " + problem + ".");
        }
    }

    private static String bucketNameProblem(String bucket) {
        if (bucket.length() < 3 || bucket.length() > 63) {
            return "is not 3 to 63 characters long";
        }
        for (int i = 0; i < bucket.length(); i++) {
            char c = bucket.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return "holds '" + c + "': bucket names hold lower-case letters, digits, dots and hyphens";
            }
        }
        if (!letterOrDigit(bucket.charAt(0)) || !letterOrDigit(bucket.charAt(bucket.length() - 1))) {
            return "does not begin and end with a letter or digit";
        }
        if (bucket.contains("..")) {
            return "has two adjacent dots";
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            return "is formatted as an IP address";
        }
        for (String prefix : new String[] {"xn--", "sthree-", "amzn-s3-demo-"}) {
            if (bucket.startsWith(prefix)) {
                return "begins with '" + prefix + "', which S3 reserves";
            }
        }
        for (String suffix : new String[] {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
            if (bucket.endsWith(suffix)) {
                return "ends with '" + suffix + "', which S3 reserves";
            }
        }
        return null;
    }

    private static boolean letterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }
}
