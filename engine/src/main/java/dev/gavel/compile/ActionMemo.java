package dev.gavel.compile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free map from action id to what was worked out for that action (a plan), filled on
 * first use. Readers take no lock and allocate nothing: they read an open-addressing table through
 * a volatile field. Writers take a lock, which happens once per action, and fill the table in
 * place, copying it only to grow it. The table is bounded: when full it starts over, so ids that
 * callers invent (actions no policy names) cannot grow it without limit.
 */
final class ActionMemo<V> {

    /** Room for every action of the service catalog (about 22,000): what-can asks about all of them. */
    private static final int MAX_ENTRIES = 32_768;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    /**
     * An open-addressing table: keys and values at the same index, empty slots have a null value.
     * The one writer (under the memo's lock) fills a slot's key, then publishes its value with
     * release semantics; a reader that sees the value with acquire semantics sees its key.
     */
    private static final class Table {
        final int[] keys;
        final Object[] values;
        int size;

        Table(int capacity) {
            keys = new int[capacity];
            values = new Object[capacity];
        }
    }

    private volatile Table table = new Table(16);

    /** The value for the id, or null. */
    @SuppressWarnings("unchecked")
    V get(int id) {
        Table current = table;
        int mask = current.keys.length - 1;
        int i = mix(id) & mask;
        while (true) {
            Object value = SLOTS.getAcquire(current.values, i);
            if (value == null) {
                return null;
            }
            if (current.keys[i] == id) {
                return (V) value;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Stores a value; a concurrent store for the same id may win, and either is fine. Fills the
     * table in place, and copies it only to double it (or to start over when full), so that
     * storing n actions costs O(n).
     */
    synchronized void put(int id, V value) {
        Table current = table;
        if (current.size >= MAX_ENTRIES) {
            current = new Table(16);
        } else if ((current.size + 1) * 2 > current.keys.length) {
            Table larger = new Table(current.keys.length * 2);
            for (int i = 0; i < current.keys.length; i++) {
                Object existing = current.values[i];
                if (existing != null) {
                    insert(larger, current.keys[i], existing);
                }
            }
            current = larger;
        }
        insert(current, id, value);
        table = current;
    }

    private static void insert(Table table, int id, Object value) {
        int mask = table.keys.length - 1;
        int i = mix(id) & mask;
        while (table.values[i] != null && table.keys[i] != id) {
            i = (i + 1) & mask;
        }
        if (table.values[i] == null) {
            table.size++;
        }
        table.keys[i] = id;
        SLOTS.setRelease(table.values, i, value);
    }

    private static int mix(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
