package dev.gavel.compile;

import dev.gavel.match.ArnParts;
import dev.gavel.match.ArnPattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the statements of a large plan that can match a resource without trying them all: each
 * statement is filed under the literal text its resource patterns start with, and a lookup walks
 * the resource once, hashing each of its prefixes whose length some statement uses and probing
 * for it. Statements that cannot be filed (NotResource, no Resource element) are always tried.
 *
 * <p>The first five parts of an ARN match in any case, so they are case-folded on both sides.
 * A lookup writes candidate positions into the scratch and allocates nothing.
 */
final class ResourceIndex {

    /** Plans with fewer statements are simply scanned. */
    static final int MIN_ENTRIES = 32;

    private final int[] unindexed;
    private final boolean[] lengthUsed;
    private final int[] hashes;
    private final String[] keys;
    private final int[][] buckets;
    private final int mask;
    private final int indexed;

    private ResourceIndex(int[] unindexed, boolean[] lengthUsed, Map<String, List<Integer>> byPrefix) {
        this.unindexed = unindexed;
        this.lengthUsed = lengthUsed;
        int capacity = Integer.highestOneBit(Math.max(4, byPrefix.size() * 2 - 1)) << 1;
        this.hashes = new int[capacity];
        this.keys = new String[capacity];
        this.buckets = new int[capacity][];
        this.mask = capacity - 1;
        for (Map.Entry<String, List<Integer>> entry : byPrefix.entrySet()) {
            String key = entry.getKey();
            int hash = key.hashCode();
            int i = spread(hash) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            hashes[i] = hash;
            buckets[i] = entry.getValue().stream().mapToInt(Integer::intValue).toArray();
        }
        this.indexed = byPrefix.values().stream().mapToInt(List::size).sum();
    }

    /** An index over the entries' resources, or null when there are too few to need one. */
    static ResourceIndex of(PolicyGroup.Entry[] entries) {
        if (entries.length < MIN_ENTRIES) {
            return null;
        }
        List<Integer> unindexed = new ArrayList<>();
        Map<String, List<Integer>> byPrefix = new HashMap<>();
        int longest = 0;
        for (int i = 0; i < entries.length; i++) {
            String prefix = entries[i].statement().resourcePrefix();
            if (prefix == null) {
                unindexed.add(i);
                continue;
            }
            String key = fold(prefix);
            byPrefix.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            longest = Math.max(longest, key.length());
        }
        boolean[] lengthUsed = new boolean[longest + 1];
        byPrefix.keySet().forEach(key -> lengthUsed[key.length()] = true);
        return new ResourceIndex(unindexed.stream().mapToInt(Integer::intValue).toArray(), lengthUsed, byPrefix);
    }

    /**
     * Writes into {@code scratch.candidates} the positions of every entry that may match the
     * resource read into the scratch, each once, and returns how many.
     */
    int lookup(EvalScratch scratch) {
        ArnParts arn = scratch.resource;
        String text = arn.text();
        int foldUntil = arn.valid() ? arn.start(ArnParts.PARTS - 1) : text.length();
        int[] out = scratch.candidates(unindexed.length + indexed);
        int count = 0;
        for (int position : unindexed) {
            out[count++] = position;
        }
        int hash = 0;
        int limit = Math.min(text.length(), lengthUsed.length - 1);
        for (int length = 0; length <= limit; length++) {
            if (length > 0) {
                char c = text.charAt(length - 1);
                hash = 31 * hash + (length - 1 < foldUntil ? ArnPattern.fold(c) : c);
            }
            if (!lengthUsed[length]) {
                continue;
            }
            int i = spread(hash) & mask;
            while (keys[i] != null) {
                if (hashes[i] == hash && keys[i].length() == length && sameFolded(keys[i], text, foldUntil)) {
                    for (int position : buckets[i]) {
                        out[count++] = position;
                    }
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        return count;
    }

    private static boolean sameFolded(String key, String text, int foldUntil) {
        for (int i = 0; i < key.length(); i++) {
            char c = text.charAt(i);
            if (key.charAt(i) != (i < foldUntil ? ArnPattern.fold(c) : c)) {
                return false;
            }
        }
        return true;
    }

    /** Folds the part of a prefix before its fifth colon: where ARNs match in any case. */
    private static String fold(String prefix) {
        StringBuilder out = new StringBuilder(prefix.length());
        int colons = 0;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            out.append(colons < ArnParts.PARTS - 1 ? ArnPattern.fold(c) : c);
            if (c == ':') {
                colons++;
            }
        }
        return out.toString();
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
