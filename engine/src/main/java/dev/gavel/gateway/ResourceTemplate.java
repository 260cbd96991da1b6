package dev.gavel.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A route's resource: {@code *}, or an ARN whose resource part may hold {@code {name}}
 * placeholders that the request's path fills, decoded.
 */
final class ResourceTemplate {

    /** Literal text, or a placeholder when {@code variable} is set. */
    private record Part(String literal, String variable) {}

    private final String text;
    private final List<Part> parts;

    private ResourceTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * Reads {@code *} or an ARN template such as {@code arn:aws:orders:us-east-1:111122223333:order/{orderId}}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with it
     */
    static ResourceTemplate parse(String text) {
        if (text.equals("*")) {
            return new ResourceTemplate(text, List.of(new Part(text, null)));
        }
        String[] arn = text.split(":", 6);
        if (arn.length < 6 || !arn[0].equals("arn") || arn[1].isEmpty() || arn[2].isEmpty() || arn[5].isEmpty()) {
            throw new IllegalArgumentException("must be \"*\" or an ARN, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE");
        }
        int resourceStart = text.length() - arn[5].length();
        int firstBrace = indexOfBrace(text);
        if (firstBrace >= 0 && firstBrace < resourceStart) {
            throw new IllegalArgumentException("placeholders may stand only in the ARN's resource part, after the "
                    + "account");
        }
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            int close = text.indexOf('}', at);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("has a \"}\" without its \"{\"");
            }
            if (open < 0) {
                parts.add(new Part(text.substring(at), null));
                break;
            }
            if (close < 0) {
                throw new IllegalArgumentException("has a \"{\" without its \"}\"");
            }
            if (open > at) {
                parts.add(new Part(text.substring(at, open), null));
            }
            String name = text.substring(open + 1, close);
            if (name.isEmpty() || name.indexOf('{') >= 0) {
                throw new IllegalArgumentException("has a malformed placeholder \"" + text.substring(open, close + 1)
                        + "\"");
            }
            parts.add(new Part(null, name));
            at = close + 1;
        }
        return new ResourceTemplate(text, parts);
    }

    private static int indexOfBrace(String text) {
        int open = text.indexOf('{');
        int close = text.indexOf('}');
        return open < 0 ? close : close < 0 ? open : Math.min(open, close);
    }

    /** The placeholders' names, in order. */
    List<String> variables() {
        return parts.stream().filter(part -> part.variable() != null).map(Part::variable).toList();
    }

    /** The resource with each placeholder replaced by its value. */
    String expand(Map<String, String> values) {
        if (parts.size() == 1 && parts.get(0).variable() == null) {
            return text;
        }
        StringBuilder resource = new StringBuilder(text.length() + 32);
        for (Part part : parts) {
            resource.append(part.variable() == null ? part.literal() : values.get(part.variable()));
        }
        return resource.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
