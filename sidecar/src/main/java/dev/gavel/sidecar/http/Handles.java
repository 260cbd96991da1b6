package dev.gavel.sidecar.http;

import dev.gavel.Action;
import dev.gavel.ContextKey;
import dev.gavel.Engine;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Actions and context keys by name, as requests spell them, resolved by the engine once and
 * remembered: a request's names then cost a hash lookup, not the engine's case folding and cache.
 * Handles are valid across reloads. At most {@link #MAX_NAMES} of each are remembered, so that
 * clients sending ever new names cannot grow the maps without bound; beyond that the engine
 * resolves each name every time.
 */
final class Handles {

    static final int MAX_NAMES = 16_384;

    private final Engine engine;
    private final ConcurrentHashMap<String, Action> actions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ContextKey> keys = new ConcurrentHashMap<>();

    Handles(Engine engine) {
        this.engine = engine;
    }

    /** The action for {@code service:Action}; the parser has checked its shape. */
    Action action(String name) {
        Action action = actions.get(name);
        if (action == null) {
            action = engine.action(name);
            if (actions.size() < MAX_NAMES) {
                actions.putIfAbsent(name, action);
            }
        }
        return action;
    }

    /**
     * The context key of this name.
     *
     * @throws IllegalArgumentException for a key that Gavel fills itself
     */
    ContextKey key(String name) {
        ContextKey key = keys.get(name);
        if (key == null) {
            key = engine.contextKey(name);
            if (keys.size() < MAX_NAMES) {
                keys.putIfAbsent(name, key);
            }
        }
        return key;
    }
}
