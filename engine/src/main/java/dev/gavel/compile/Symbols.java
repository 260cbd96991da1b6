package dev.gavel.compile;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names an engine has interned: actions and context keys, each to a small int that stays the
 * same for the engine's life, across every snapshot it loads. Names are case-insensitive, as in
 * IAM. Interning takes a lock only the first time a name is seen; looking an id up takes none.
 *
 * <p>Internal to Gavel: the public API hands these ids out through {@code Engine}.
 */
public final class Symbols {

    /** One table of names: lower-cased name to id, and id to the name first seen. */
    private static final class Table {
        private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
        private volatile String[] names = new String[64];
        private int size;

        int intern(String name) {
            String key = name.toLowerCase(Locale.ROOT);
            Integer id = ids.get(key);
            if (id != null) {
                return id;
            }
            synchronized (this) {
                id = ids.get(key);
                if (id != null) {
                    return id;
                }
                int next = size;
                String[] current = names;
                if (next == current.length) {
                    current = Arrays.copyOf(current, current.length * 2);
                }
                current[next] = name;
                names = current;
                size = next + 1;
                ids.put(key, next);
                return next;
            }
        }

        int find(String name) {
            Integer id = ids.get(name.toLowerCase(Locale.ROOT));
            return id == null ? -1 : id;
        }

        String name(int id) {
            return names[id];
        }

        int size() {
            return ids.size();
        }
    }

    private final Table actions = new Table();
    private final Table keys = new Table();

    /** The id of an action such as {@code s3:GetObject}, interning it if new. */
    public int action(String name) {
        return actions.intern(name);
    }

    /** The action's id, or -1 when it was never interned. */
    public int findAction(String name) {
        return actions.find(name);
    }

    /** The action's name as first interned. */
    public String actionName(int id) {
        return actions.name(id);
    }

    /** The slot of a context key such as {@code aws:SourceIp}, interning it if new. */
    public int key(String name) {
        return keys.intern(name);
    }

    /** The key's slot, or -1 when it was never interned. */
    public int findKey(String name) {
        return keys.find(name);
    }

    /** The key's name as first interned. */
    public String keyName(int slot) {
        return keys.name(slot);
    }

    /** How many context keys are interned: every slot is below this. */
    public int keyCount() {
        return keys.size();
    }
}
