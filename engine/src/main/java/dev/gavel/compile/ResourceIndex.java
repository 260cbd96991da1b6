package dev.gavel.compile;

import dev.gavel.match.ArnParts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the statements of a plan that can match a resource without trying them all.
 *
 * <p>Each resource pattern is filed under a key taken from its resource part (the sixth part of
 * the ARN, which matches case-sensitively): the literal text up to the last {@code /} or
 * {@code :} before its first wildcard or variable, or the whole part when it has neither. So
 * {@code arn:aws:s3:::reports/*} is filed under {@code reports}, and
 * {@code arn:aws:dynamodb:*:*:table/orders} under {@code table/orders}. Any ARN the pattern
 * matches has its key as a prefix of its resource part that ends at a {@code /}, a {@code :} or
 * the end. A lookup probes those few prefixes of the request's resource part (their hashes are
 * worked out once per request, {@link #prepare}), and yields the statements filed under them
 * plus those that cannot be filed (NotResource, {@code *}, patterns whose resource part starts
 * with a wildcard). Candidates are then matched in full; nothing is allocated.
 */
final class ResourceIndex {

    /** Plans with fewer statements are simply scanned. */
    static final int MIN_ENTRIES = 6;
    /** The most prefixes of a resource part probed; a resource with more is checked against every entry. */
    static final int MAX_PROBES = 16;

    private final int[] unfiled;
    private final String[] keys;
    private final int[] hashes;
    private final int[][] buckets;
    private final int mask;
    private final int filed;
    /** Which key lengths are filed: probes of other lengths are skipped. */
    private final boolean[] lengths;

    private ResourceIndex(int[] unfiled, Map<String, Set<Integer>> byKey) {
        this.unfiled = unfiled;
        int capacity = Integer.highestOneBit(Math.max(4, byKey.size() * 2 - 1)) << 1;
        this.keys = new String[capacity];
        this.hashes = new int[capacity];
        this.buckets = new int[capacity][];
        this.mask = capacity - 1;
        int total = 0;
        for (Map.Entry<String, Set<Integer>> entry : byKey.entrySet()) {
            String key = entry.getKey();
            int hash = key.hashCode();
            int i = spread(hash) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            hashes[i] = hash;
            buckets[i] = entry.getValue().stream().mapToInt(Integer::intValue).toArray();
            total += buckets[i].length;
        }
        this.filed = total;
        int longest = byKey.keySet().stream().mapToInt(String::length).max().orElse(0);
        this.lengths = new boolean[longest + 1];
        byKey.keySet().forEach(key -> lengths[key.length()] = true);
    }

    /** An index over the entries' resources, or null when there are too few to need one. */
    static ResourceIndex of(PolicyGroup.Entry[] entries) {
        if (entries.length < MIN_ENTRIES) {
            return null;
        }
        List<Integer> unfiled = new ArrayList<>();
        Map<String, Set<Integer>> byKey = new HashMap<>();
        for (int i = 0; i < entries.length; i++) {
            List<String> keys = entries[i].statement().resourceKeys();
            if (keys == null) {
                unfiled.add(i);
                continue;
            }
            for (String key : keys) {
                byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(i);
            }
        }
        if (byKey.isEmpty()) {
            return null;
        }
        return new ResourceIndex(unfiled.stream().mapToInt(Integer::intValue).toArray(), byKey);
    }

    /**
     * The key a pattern's resource part is filed under, or null when it cannot be filed: the
     * literal text before its first wildcard cut back to its last {@code /} or {@code :}, or the
     * whole part when it is all literal.
     *
     * @param literal the resource part's literal text before its first wildcard or variable
     * @param whole whether that is the entire part
     */
    static String key(String literal, boolean whole) {
        if (whole) {
            return literal;
        }
        int cut = Math.max(literal.lastIndexOf('/'), literal.lastIndexOf(':'));
        return cut <= 0 ? null : literal.substring(0, cut);
    }

    /** Starts a request's probes: none worked out yet; {@link #probeUpTo} works them out as lookups need them. */
    static void prepare(EvalScratch scratch) {
        ArnParts arn = scratch.resource;
        scratch.probes = 0;
        scratch.hashedTo = arn.valid() ? arn.start(ArnParts.PARTS - 1) : -1;
        scratch.hash = 0;
    }

    /**
     * Works out the hashes of the prefixes of the resource part that end at a {@code /}, a
     * {@code :} or the part's end, up to those {@code longest} characters long, continuing where
     * the last lookup of this request stopped.
     */
    private static void probeUpTo(EvalScratch scratch, int longest) {
        int from = scratch.hashedTo;
        if (from < 0 || scratch.probes < 0) {
            return;
        }
        ArnParts arn = scratch.resource;
        String text = arn.text();
        int start = arn.start(ArnParts.PARTS - 1);
        int end = text.length();
        int limit = Math.min(end, start + longest);
        int hash = scratch.hash;
        int i = from;
        for (; i < limit; i++) {
            char c = text.charAt(i);
            if ((c == '/' || c == ':') && i > start) {
                if (!addProbe(scratch, hash, i)) {
                    return;
                }
            }
            hash = 31 * hash + c;
        }
        scratch.hash = hash;
        scratch.hashedTo = i;
        if (i == end && addProbe(scratch, hash, end)) {
            scratch.hashedTo = -1;
        }
    }

    private static boolean addProbe(EvalScratch scratch, int hash, int end) {
        if (scratch.probes == MAX_PROBES) {
            scratch.probes = -1;
            return false;
        }
        scratch.probeHashes[scratch.probes] = hash;
        scratch.probeEnds[scratch.probes++] = end;
        return true;
    }

    /**
     * Writes into the scratch's candidates the positions of every entry that may match the
     * resource {@link #prepare}d in the scratch, and returns how many (a position may repeat);
     * -1 when the resource has too many segments to probe, and every entry must be tried.
     */
    int lookup(EvalScratch scratch) {
        scratch.prepareProbes();
        probeUpTo(scratch, lengths.length);
        if (scratch.probes < 0) {
            return -1;
        }
        int[] out = scratch.candidates(unfiled.length + filed);
        int count = unfiled.length;
        System.arraycopy(unfiled, 0, out, 0, count);
        ArnParts arn = scratch.resource;
        if (!arn.valid()) {
            return count;
        }
        String text = arn.text();
        int start = arn.start(ArnParts.PARTS - 1);
        for (int p = 0; p < scratch.probes; p++) {
            int length = scratch.probeEnds[p] - start;
            if (length >= lengths.length) {
                break;
            }
            if (!lengths[length]) {
                continue;
            }
            int hash = scratch.probeHashes[p];
            int i = spread(hash) & mask;
            while (keys[i] != null) {
                if (hashes[i] == hash && keys[i].length() == length && text.regionMatches(start, keys[i], 0, length)) {
                    int[] bucket = buckets[i];
                    System.arraycopy(bucket, 0, out, count, bucket.length);
                    count += bucket.length;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        return count;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
