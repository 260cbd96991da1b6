package dev.gavel;

/**
 * An action interned by an engine, such as {@code s3:GetObject}: get it once with
 * {@link Engine#action(String)} and pass it to every check. Valid across reloads.
 */
public final class Action {

    final int id;
    final String name;

    Action(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /** The action's name as it was asked for. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
