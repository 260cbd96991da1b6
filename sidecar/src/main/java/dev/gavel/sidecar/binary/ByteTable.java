package dev.gavel.sidecar.binary;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A small direct-mapped cache from bytes read off the wire to what they resolve to (a string, an
 * action, a context key, a prepared principal), so that a request whose strings were seen before
 * is decoded without creating a {@code String} or probing a shared map.
 *
 * <p>A key is a tag and one or two slices of a buffer (an access key id and its session token).
 * Each key hashes to one slot; a miss or a collision is resolved by the caller, whose answer
 * replaces the slot. The table never grows, and keys longer than {@code maxKeyBytes} are not
 * kept, so its memory is bounded. Not thread-safe: one per I/O thread.
 */
final class ByteTable<V> {

    private final int mask;
    private final int maxKeyBytes;
    private final int[] hashes;
    private final int[] splits;
    private final UnsafeBuffer[] keys;
    private final Object[] values;

    ByteTable(int capacityPowerOfTwo, int maxKeyBytes) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.mask = capacityPowerOfTwo - 1;
        this.maxKeyBytes = maxKeyBytes;
        this.hashes = new int[capacityPowerOfTwo];
        this.splits = new int[capacityPowerOfTwo];
        this.keys = new UnsafeBuffer[capacityPowerOfTwo];
        this.values = new Object[capacityPowerOfTwo];
    }

    /** The hash of a key; pass it to {@link #get} and {@link #put}. */
    static int hash(int tag, DirectBuffer first, DirectBuffer second) {
        long h = 0x9E3779B97F4A7C15L * (tag + 1);
        h = mix(h, first);
        if (second != null) {
            h = mix(h ^ 0x632BE59BD9B4E019L, second);
        }
        return (int) (h ^ h >>> 32);
    }

    private static long mix(long h, DirectBuffer buffer) {
        int length = buffer.capacity();
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ buffer.getLong(i)) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 29;
        }
        for (; i < length; i++) {
            h = (h ^ buffer.getByte(i)) * 0xC4CEB9FE1A85EC53L;
        }
        return (h ^ length) * 0xFF51AFD7ED558CCDL;
    }

    /** The value kept for this key, or null. */
    @SuppressWarnings("unchecked")
    V get(int hash, DirectBuffer first, DirectBuffer second) {
        int slot = hash & mask;
        UnsafeBuffer key = keys[slot];
        if (key == null || hashes[slot] != hash) {
            return null;
        }
        int firstLength = first.capacity();
        int secondLength = second == null ? 0 : second.capacity();
        if (splits[slot] != firstLength || key.capacity() != firstLength + secondLength
                || !equal(key, 0, first, firstLength)
                || (second != null && !equal(key, firstLength, second, secondLength))) {
            return null;
        }
        return (V) values[slot];
    }

    /** Keeps the value for this key, replacing whatever shared its slot. */
    void put(int hash, DirectBuffer first, DirectBuffer second, V value) {
        int firstLength = first.capacity();
        int secondLength = second == null ? 0 : second.capacity();
        if (firstLength + secondLength > maxKeyBytes) {
            return;
        }
        byte[] bytes = new byte[firstLength + secondLength];
        first.getBytes(0, bytes, 0, firstLength);
        if (second != null) {
            second.getBytes(0, bytes, firstLength, secondLength);
        }
        int slot = hash & mask;
        hashes[slot] = hash;
        splits[slot] = firstLength;
        keys[slot] = new UnsafeBuffer(bytes);
        values[slot] = value;
    }

    private static boolean equal(UnsafeBuffer key, int offset, DirectBuffer other, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (key.getLong(offset + i) != other.getLong(i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (key.getByte(offset + i) != other.getByte(i)) {
                return false;
            }
        }
        return true;
    }
}
