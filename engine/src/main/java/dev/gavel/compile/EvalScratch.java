package dev.gavel.compile;

import dev.gavel.match.ArnParts;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Everything one evaluation reads and writes besides the compiled tables: the layers of the
 * request's context, the parts of its resource ARN, and buffers for substituting policy
 * variables and reading typed values. Reused request after request by one thread, so that a
 * check allocates nothing.
 */
public final class EvalScratch {

    /** Scratch for a thread whose requests carry these context values (the caller's layer). */
    public EvalScratch(SlotValues request) {
        this.request = request;
    }

    EvalScratch() {
        this(null);
    }

    final ArnParts resource = new ArnParts();
    final ArnParts value = new ArnParts();
    /** A pattern with its variables substituted: characters, or {@code Tokens.ANY}/{@code ONE}. */
    int[] tokens = new int[128];
    /** Gavel's per-request keys: time, the resource's account and organization. */
    final SlotValues facts = new SlotValues(16);
    SlotValues request;
    SlotValues principal;
    /** What the facts layer was last filled for, so that a check in the same second with the same keys skips it. */
    long factsSecond = Long.MIN_VALUE;
    Object factsAccount;
    Object factsPrincipal;

    /** Context keys conditions asked for but the request did not carry, when explaining. */
    Set<String> missing;

    // Typed readings of a request value, written by the readers in Values.
    long number;
    int scale;
    long seconds;
    int nanos;
    int ipWidth;
    long ipHigh;
    long ipLow;

    /**
     * Reads the request's resource: its ARN parts and the prefixes resource indexes probe. A
     * resource read just before (the same string) is not read again.
     */
    void resource(String text) {
        if (resource.text() == text && text != null) {
            return;
        }
        resource.parse(text);
        probes = UNPREPARED;
    }

    /** Works out the prefixes resource indexes probe, the first time one is asked for this resource. */
    void prepareProbes() {
        if (probes == UNPREPARED) {
            ResourceIndex.prepare(this);
        }
    }

    /** The layer that holds a key: the caller's values, then Gavel's per request, then the principal's. */
    SlotValues layer(int slot) {
        if (request != null && request.has(slot)) {
            return request;
        }
        if (facts.has(slot)) {
            return facts;
        }
        if (principal != null && principal.has(slot)) {
            return principal;
        }
        return null;
    }

    /** The key's value for a policy variable: its single value, or null. */
    String variable(int slot) {
        SlotValues layer = layer(slot);
        return layer == null ? null : layer.single(slot);
    }

    /** Hashes and ends of the resource part's prefixes that a resource index probes; see {@link ResourceIndex#prepare}. */
    final int[] probeHashes = new int[ResourceIndex.MAX_PROBES];
    final int[] probeEnds = new int[ResourceIndex.MAX_PROBES];
    int probes;
    /** Where hashing the resource part for probes stopped (-1 when done), and the hash so far. */
    int hashedTo;
    int hash;
    private static final int UNPREPARED = -2;

    /** Positions of plan entries a resource index found; see {@link ResourceIndex#lookup}. */
    private int[] candidates = new int[64];

    int[] candidates(int length) {
        if (candidates.length < length) {
            candidates = new int[Math.max(length, candidates.length * 2)];
        }
        return candidates;
    }

    int[] tokens(int length) {
        if (tokens.length < length) {
            tokens = Arrays.copyOf(tokens, Math.max(length, tokens.length * 2));
        }
        return tokens;
    }

    /** Starts collecting missing keys (explaining) or stops (deciding). */
    void explaining(boolean on) {
        missing = on ? new LinkedHashSet<>() : null;
    }
}
