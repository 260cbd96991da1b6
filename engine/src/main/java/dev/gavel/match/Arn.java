package dev.gavel.match;

/**
 * An Amazon Resource Name split into its parts:
 * {@code arn:partition:service:region:account:resource}. The resource part keeps its own colons
 * and slashes ({@code log-group:name:*}, {@code user/path/name}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    /** The ARN's parts, or null when the text does not start with {@code arn:} or has fewer than six parts. */
    public static Arn parse(String text) {
        if (!text.startsWith("arn:")) {
            return null;
        }
        String[] parts = text.split(":", 6);
        if (parts.length != 6) {
            return null;
        }
        return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
