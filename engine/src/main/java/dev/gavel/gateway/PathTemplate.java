package dev.gavel.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A route's path: literal segments and placeholders, {@code {name}} for exactly one segment and
 * {@code {name+}} (last only) for one or more. Literals are written decoded and compared with the
 * request's decoded segments, case-sensitively.
 */
final class PathTemplate {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** One segment of a template: a literal, or a placeholder that takes one segment or the rest. */
    record Segment(String literal, String variable, boolean greedy) {}

    private final String text;
    private final List<Segment> segments;

    private PathTemplate(String text, List<Segment> segments) {
        this.text = text;
        this.segments = List.copyOf(segments);
    }

    /**
     * Reads a template such as {@code /orders/{orderId}/items/{rest+}}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with it
     */
    static PathTemplate parse(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("must start with \"/\"");
        }
        List<Segment> segments = new ArrayList<>();
        if (text.equals("/")) {
            return new PathTemplate(text, segments);
        }
        String[] parts = text.substring(1).split("/", -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new IllegalArgumentException(i == parts.length - 1 ? "must not end with \"/\""
                        : "has an empty segment (\"//\")");
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                boolean greedy = part.endsWith("+}");
                String name = part.substring(1, part.length() - (greedy ? 2 : 1));
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("placeholder \"" + part + "\" must be a name of letters, digits, "
                            + "\"_\" and \"-\"");
                }
                if (greedy && i != parts.length - 1) {
                    throw new IllegalArgumentException("\"" + part + "\" takes the rest of the path, so it must be "
                            + "the last segment");
                }
                if (names.contains(name)) {
                    throw new IllegalArgumentException("placeholder \"" + name + "\" appears twice");
                }
                names.add(name);
                segments.add(new Segment(null, name, greedy));
            } else if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("has a \"" + part + "\" segment, which no request reaches");
            } else {
                for (char c : new char[] {'{', '}', '%', '?', '#'}) {
                    if (part.indexOf(c) >= 0) {
                        throw new IllegalArgumentException("segment \"" + part + "\" has \"" + c + "\": a segment is "
                                + "either a literal, written decoded, or a whole {placeholder}");
                    }
                }
                segments.add(new Segment(part, null, false));
            }
        }
        return new PathTemplate(text, segments);
    }

    /** The names its placeholders define, in order. */
    List<String> variables() {
        List<String> names = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.variable() != null) {
                names.add(segment.variable());
            }
        }
        return names;
    }

    /**
     * The placeholders' values when the template matches these decoded segments, else null. A
     * placeholder never matches an empty segment; a greedy one joins the rest with {@code /}.
     */
    Map<String, String> match(List<String> path) {
        Map<String, String> values = null;
        int count = segments.size();
        boolean greedy = count > 0 && segments.get(count - 1).greedy();
        if (greedy ? path.size() < count : path.size() != count) {
            return null;
        }
        for (int i = 0; i < count; i++) {
            Segment segment = segments.get(i);
            String actual = path.get(i);
            if (segment.literal() != null) {
                if (!segment.literal().equals(actual)) {
                    return null;
                }
                continue;
            }
            String value = segment.greedy() ? String.join("/", path.subList(i, path.size())) : actual;
            if (actual.isEmpty() || segment.greedy() && path.get(path.size() - 1).isEmpty()) {
                return null;
            }
            if (values == null) {
                values = new LinkedHashMap<>();
            }
            values.put(segment.variable(), value);
        }
        return values == null ? Map.of() : values;
    }

    /**
     * Whether every path {@code other} matches, this template matches too: literal for the same
     * literal, a placeholder for anything but the rest of a path, a greedy placeholder for the rest.
     */
    boolean covers(PathTemplate other) {
        int count = segments.size();
        boolean greedy = count > 0 && segments.get(count - 1).greedy();
        int otherCount = other.segments.size();
        if (greedy ? otherCount < count : otherCount != count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            Segment mine = segments.get(i);
            Segment theirs = other.segments.get(i);
            if (mine.greedy()) {
                return true;
            }
            if (theirs.greedy()) {
                return false;
            }
            if (mine.literal() != null && !mine.literal().equals(theirs.literal())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
