package dev.gavel.sidecar.binary;

import java.util.AbstractList;
import java.util.RandomAccess;

/** A reusable list view of the first {@code size} strings of an array: a multivalued key's values, passed without copying. */
final class StringList extends AbstractList<String> implements RandomAccess {

    private String[] values = new String[8];
    private int size;

    /** Room for {@code count} values, cleared. */
    String[] reset(int count) {
        if (values.length < count) {
            values = new String[Math.max(count, values.length * 2)];
        }
        size = count;
        return values;
    }

    @Override
    public String get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return values[index];
    }

    @Override
    public int size() {
        return size;
    }
}
