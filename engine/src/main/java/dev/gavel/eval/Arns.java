package dev.gavel.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference evaluator's ARN pattern matching. An ARN has six colon-separated parts,
 * {@code arn:partition:service:region:account:resource}; the resource part keeps its own colons.
 *
 * <ul>
 *   <li>Resource elements: each part of the pattern is matched against the same part of the
 *       ARN; partition, service, region and account ignore case, the resource part does not. A
 *       {@code *} crosses {@code /} and, in the resource part, {@code :}. A pattern cut short
 *       whose last part ends in {@code *} lets that {@code *} run over the remaining parts
 *       ("it can expand to match beyond the colon boundaries").
 *   <li>Arn condition operators: all six parts are matched separately and case-sensitively; a
 *       pattern without six parts matches nothing.
 * </ul>
 */
final class Arns {

    private static final int PARTS = 6;

    private Arns() {}

    static boolean resourceMatches(int[] pattern, String arn) {
        String[] arnParts = arn.split(":", PARTS);
        if (arnParts.length != PARTS) {
            return false;
        }
        List<int[]> parts = split(pattern);
        for (int i = 0; i < parts.size(); i++) {
            int[] part = parts.get(i);
            boolean lastOfShortPattern = i == parts.size() - 1 && parts.size() < PARTS;
            if (lastOfShortPattern) {
                if (part.length == 0 || part[part.length - 1] != Glob.ANY) {
                    return false;
                }
                String rest = String.join(":", Arrays.copyOfRange(arnParts, i, PARTS));
                return Glob.matches(part, rest, true);
            }
            if (!Glob.matches(part, arnParts[i], i > 0 && i < PARTS - 1)) {
                return false;
            }
        }
        return true;
    }

    static boolean conditionMatches(int[] pattern, String arn) {
        List<int[]> parts = split(pattern);
        String[] arnParts = arn.split(":", PARTS);
        if (parts.size() != PARTS || arnParts.length != PARTS) {
            return false;
        }
        for (int i = 0; i < PARTS; i++) {
            if (!Glob.matches(parts.get(i), arnParts[i], false)) {
                return false;
            }
        }
        return true;
    }

    /** Splits at the first five literal colons; the sixth part keeps any colons after them. */
    private static List<int[]> split(int[] pattern) {
        List<int[]> parts = new ArrayList<>(PARTS);
        int start = 0;
        for (int i = 0; i < pattern.length && parts.size() < PARTS - 1; i++) {
            if (pattern[i] == ':') {
                parts.add(Arrays.copyOfRange(pattern, start, i));
                start = i + 1;
            }
        }
        parts.add(Arrays.copyOfRange(pattern, start, pattern.length));
        return parts;
    }
}
