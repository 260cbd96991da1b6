package dev.gavel;

/**
 * A context key interned by an engine, such as {@code aws:SourceIp}: get it once with
 * {@link Engine#contextKey(String)} and fill {@link CheckContext}s with it. Names ignore case, as
 * in IAM. Valid across reloads.
 */
public final class ContextKey {

    final int slot;
    final String name;

    ContextKey(int slot, String name) {
        this.slot = slot;
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
