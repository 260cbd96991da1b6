package dev.gavel.compile;

/**
 * A lock-free map from action id to what was worked out for that action (a plan), filled on
 * first use. Readers take no lock and allocate nothing: they read one immutable open-addressing
 * table through a volatile field. Writers copy the table under a lock, which happens once per
 * action. The table is bounded: when full it starts over, so ids that callers invent (actions no
 * policy names) cannot grow it without limit.
 */
final class ActionMemo<V> {

    private static final int MAX_ENTRIES = 4_096;

    /** An immutable table: keys and values at the same index, empty slots have a null value. */
    private record Table(int[] keys, Object[] values, int size) {}

    private volatile Table table = new Table(new int[16], new Object[16], 0);

    /** The value for the id, or null. */
    @SuppressWarnings("unchecked")
    V get(int id) {
        Table current = table;
        int mask = current.keys.length - 1;
        int i = mix(id) & mask;
        while (true) {
            Object value = current.values[i];
            if (value == null) {
                return null;
            }
            if (current.keys[i] == id) {
                return (V) value;
            }
            i = (i + 1) & mask;
        }
    }

    /** Stores a value; a concurrent store for the same id may win, and either is fine. */
    synchronized void put(int id, V value) {
        Table current = table.size >= MAX_ENTRIES ? new Table(new int[16], new Object[16], 0) : table;
        int capacity = current.keys.length;
        if ((current.size + 1) * 2 > capacity) {
            capacity *= 2;
        }
        int[] keys = new int[capacity];
        Object[] values = new Object[capacity];
        for (int i = 0; i < current.keys.length; i++) {
            if (current.values[i] != null) {
                insert(keys, values, current.keys[i], current.values[i]);
            }
        }
        boolean added = insert(keys, values, id, value);
        table = new Table(keys, values, current.size + (added ? 1 : 0));
    }

    private static boolean insert(int[] keys, Object[] values, int id, Object value) {
        int mask = keys.length - 1;
        int i = mix(id) & mask;
        while (values[i] != null && keys[i] != id) {
            i = (i + 1) & mask;
        }
        boolean added = values[i] == null;
        keys[i] = id;
        values[i] = value;
        return added;
    }

    private static int mix(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
