package dev.gavel;

import dev.gavel.compile.EvalScratch;
import dev.gavel.compile.SlotValues;
import java.util.List;

/**
 * The request facts of a check ({@code aws:SourceIp}, {@code aws:SecureTransport},
 * {@code aws:RequestTag/*}...) and the working space a check needs. Reusable: fill it, check,
 * {@link #clear()} it, fill it again; once its storage has grown, a prepared check allocates
 * nothing. Not thread-safe: keep one per thread.
 *
 * <p>Keys that Gavel fills from the principal, the resource's account or the clock
 * ({@code aws:PrincipalArn}, {@code aws:PrincipalTag/*}, {@code aws:CurrentTime}...) cannot be
 * supplied.
 */
public final class CheckContext {

    private final Engine engine;
    final SlotValues values;
    final EvalScratch scratch;
    Endpoint endpoint;

    CheckContext(Engine engine) {
        this.engine = engine;
        this.values = new SlotValues(32);
        this.scratch = new EvalScratch(values);
    }

    /** Sets a single-valued key. */
    public CheckContext put(ContextKey key, String value) {
        values.put(key.slot, value);
        return this;
    }

    /** Sets a single-valued key by name (interned on first use). */
    public CheckContext put(String key, String value) {
        return put(engine.contextKey(key), value);
    }

    /** Sets a multivalued key, such as {@code aws:TagKeys}; no values at all is allowed. */
    public CheckContext putAll(ContextKey key, List<String> values) {
        this.values.putAll(key.slot, values);
        return this;
    }

    public CheckContext putAll(String key, List<String> values) {
        return putAll(engine.contextKey(key), values);
    }

    /** Decides the requests as arriving through a VPC endpoint with this policy; null for none. */
    public CheckContext through(Endpoint endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    /** Forgets every key and the endpoint, for the next request. */
    public CheckContext clear() {
        values.clear();
        endpoint = null;
        return this;
    }
}
