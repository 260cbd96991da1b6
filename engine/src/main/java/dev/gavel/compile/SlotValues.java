package dev.gavel.compile;

import java.util.Arrays;
import java.util.List;

/**
 * Context key values by interned slot: absent, one value, or a multivalued key's values (which may
 * be none). A layer of a request's context: what the caller supplied, what Gavel fills from the
 * principal, what it fills per request. Reusable: {@link #clear} forgets only the slots that were
 * set, and storage for values is kept, so refilling it allocates nothing once it has grown.
 *
 * <p>Not thread-safe: one per thread, or built once and then only read.
 */
public final class SlotValues {

    private static final byte ABSENT = 0;
    private static final byte SINGLE = 1;
    private static final byte MULTI = 2;

    private byte[] state;
    private String[] single;
    private String[][] multi;
    private int[] counts;
    private int[] setSlots = new int[16];
    private int setCount;

    public SlotValues(int capacity) {
        int size = Math.max(capacity, 8);
        state = new byte[size];
        single = new String[size];
        multi = new String[size][];
        counts = new int[size];
    }

    /** Sets a key to one value. */
    public void put(int slot, String value) {
        ensure(slot);
        mark(slot);
        state[slot] = SINGLE;
        single[slot] = value;
        counts[slot] = 1;
    }

    /** Sets a multivalued key to exactly one value. */
    public void putOne(int slot, String value) {
        storage(slot, 1)[0] = value;
        counts[slot] = 1;
    }

    /** Sets a multivalued key to these values (none is allowed), copied. */
    public void putAll(int slot, List<String> values) {
        String[] into = storage(slot, values.size());
        for (int i = 0; i < values.size(); i++) {
            into[i] = values.get(i);
        }
        counts[slot] = values.size();
    }

    /** Sets a multivalued key to {@code values[0, count)}, copied. */
    public void putAll(int slot, String[] values, int count) {
        String[] into = storage(slot, count);
        System.arraycopy(values, 0, into, 0, count);
        counts[slot] = count;
    }

    private String[] storage(int slot, int count) {
        ensure(slot);
        mark(slot);
        state[slot] = MULTI;
        String[] into = multi[slot];
        if (into == null || into.length < count) {
            into = new String[Math.max(count, 4)];
            multi[slot] = into;
        }
        return into;
    }

    /** Forgets a key. */
    public void remove(int slot) {
        if (slot < state.length) {
            state[slot] = ABSENT;
            single[slot] = null;
        }
    }

    /** Forgets every key that was set. */
    public void clear() {
        for (int i = 0; i < setCount; i++) {
            int slot = setSlots[i];
            state[slot] = ABSENT;
            single[slot] = null;
            String[] values = multi[slot];
            if (values != null) {
                Arrays.fill(values, 0, counts[slot], null);
            }
            counts[slot] = 0;
        }
        setCount = 0;
    }

    /** Whether the key is present, even with no value. */
    public boolean has(int slot) {
        return slot < state.length && state[slot] != ABSENT;
    }

    /** Whether the key is multivalued (and present). */
    public boolean multivalued(int slot) {
        return slot < state.length && state[slot] == MULTI;
    }

    /** How many values the key has: 0 when absent. */
    public int count(int slot) {
        return slot < state.length ? counts[slot] : 0;
    }

    /** The key's value number {@code i}. */
    public String value(int slot, int i) {
        return state[slot] == SINGLE ? single[slot] : multi[slot][i];
    }

    /** The key's value when it has exactly one and is not multivalued, else null. */
    public String single(int slot) {
        return slot < state.length && state[slot] == SINGLE ? single[slot] : null;
    }

    /** Every slot that is set, in the order first set (may repeat a slot set twice). */
    int setSlot(int i) {
        return setSlots[i];
    }

    int setCount() {
        return setCount;
    }

    private void mark(int slot) {
        if (state[slot] != ABSENT) {
            return;
        }
        if (setCount == setSlots.length) {
            setSlots = Arrays.copyOf(setSlots, setCount * 2);
        }
        setSlots[setCount++] = slot;
    }

    private void ensure(int slot) {
        if (slot < state.length) {
            return;
        }
        int size = Math.max(slot + 1, state.length * 2);
        state = Arrays.copyOf(state, size);
        single = Arrays.copyOf(single, size);
        multi = Arrays.copyOf(multi, size);
        counts = Arrays.copyOf(counts, size);
    }
}
