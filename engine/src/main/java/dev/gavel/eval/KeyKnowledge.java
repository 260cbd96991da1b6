package dev.gavel.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Which context keys of a request are known, for analysis rather than decision. A key the request
 * gives is known. A key it does not give is unknown when it matches one of {@code unknownKeys},
 * or when {@code unknownUnlessGiven} is set; otherwise it is known to be absent. Keys matching
 * {@code knownKeys} are known even when not given (then absent), whatever else says: Gavel fills
 * them, as it fills a directory principal's keys.
 *
 * <p>{@code aws:PrincipalArn} is never unknown: it says who the caller is (a role session's role
 * and its path), which every step of evaluation depends on.
 *
 * <p>Names and patterns are read without regard to case, as IAM reads keys; in a pattern {@code *}
 * matches any run of characters and {@code ?} one character ({@code aws:ResourceTag/*}).
 *
 * @param unknownUnlessGiven whether every key the request does not give is unknown
 * @param unknownKeys key names or patterns that are unknown when the request does not give them
 * @param knownKeys key names or patterns that are known even when not given
 */
public record KeyKnowledge(boolean unknownUnlessGiven, List<String> unknownKeys, List<String> knownKeys) {

    private static final String CALLER_KEY = "aws:PrincipalArn";
    private static final KeyKnowledge COMPLETE = new KeyKnowledge(false, List.of(), List.of());

    public KeyKnowledge {
        unknownKeys = List.copyOf(unknownKeys);
        knownKeys = List.copyOf(knownKeys);
        unknownKeys.forEach(KeyKnowledge::requireKeyPattern);
        knownKeys.forEach(KeyKnowledge::requireKeyPattern);
    }

    /** Every key is known: a key the request does not give is absent, as evaluation takes it. */
    public static KeyKnowledge complete() {
        return COMPLETE;
    }

    /** Every key the request does not give is unknown, as {@code --unknown-context} says. */
    public static KeyKnowledge unknownContext() {
        return new KeyKnowledge(true, List.of(), List.of());
    }

    /** This knowledge with more keys or patterns unknown unless given; a bad one is refused. */
    public KeyKnowledge withUnknown(List<String> patterns) {
        List<String> all = new ArrayList<>(unknownKeys);
        all.addAll(patterns);
        return new KeyKnowledge(unknownUnlessGiven, all, knownKeys);
    }

    /** This knowledge with more keys or patterns known even when not given. */
    public KeyKnowledge withKnown(List<String> patterns) {
        List<String> all = new ArrayList<>(knownKeys);
        all.addAll(patterns);
        return new KeyKnowledge(unknownUnlessGiven, unknownKeys, all);
    }

    /** Whether the key's value in this request is unknown: neither given nor known to be absent. */
    public boolean isUnknown(String key, RequestContext context) {
        if (context.get(key) != null || key.equalsIgnoreCase(CALLER_KEY) || matchesAny(knownKeys, key)) {
            return false;
        }
        return unknownUnlessGiven || matchesAny(unknownKeys, key);
    }

    /**
     * Refuses what cannot name context keys: a key is {@code service:name}, so a pattern must hold
     * a colon, and neither may be blank or hold white space.
     */
    private static void requireKeyPattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a context key or pattern may not be empty");
        }
        if (pattern.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("\"" + pattern + "\" holds white space, and context keys do not");
        }
        if (pattern.indexOf(':') <= 0) {
            throw new IllegalArgumentException("\"" + pattern + "\" is not a context key (service:name, such as "
                    + "aws:SourceIp) or a pattern of them (such as aws:ResourceTag/*)");
        }
    }

    private static boolean matchesAny(List<String> patterns, String key) {
        for (String pattern : patterns) {
            if (Glob.matches(pattern, key, true)) {
                return true;
            }
        }
        return false;
    }
}
