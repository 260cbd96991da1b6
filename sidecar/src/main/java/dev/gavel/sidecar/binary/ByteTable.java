package dev.gavel.sidecar.binary;

import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A small direct-mapped cache from bytes read off the wire to what they resolve to (a string, an
 * action, a context key, a prepared principal), so that a request whose strings were seen before
 * is decoded without creating a {@code String} or probing a shared map.
 *
 * <p>Slices of a heap buffer (the I/O threads read into heap buffers for this) are compared with
 * {@link Arrays#equals(byte[], int, int, byte[], int, int)}, which the JIT vectorises.
 *
 * <p>A key is a tag and one or two slices of a buffer (an access key id and its session token).
 * Each key hashes to a pair of slots; a miss is resolved by the caller, whose answer replaces the
 * pair's older entry. The table never grows, and keys longer than {@code maxKeyBytes} are not
 * kept, so its memory is bounded. Not thread-safe: one per I/O thread.
 */
final class ByteTable<V> {

    private final int mask;
    private final int maxKeyBytes;
    private final int[] hashes;
    private final int[] splits;
    private final UnsafeBuffer[] keys;
    private final Object[] values;
    /** For each pair of slots, the one found or filled last. */
    private final byte[] recent;

    ByteTable(int capacityPowerOfTwo, int maxKeyBytes) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1 || capacityPowerOfTwo < 2) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.mask = capacityPowerOfTwo - 1;
        this.maxKeyBytes = maxKeyBytes;
        this.hashes = new int[capacityPowerOfTwo];
        this.splits = new int[capacityPowerOfTwo];
        this.keys = new UnsafeBuffer[capacityPowerOfTwo];
        this.values = new Object[capacityPowerOfTwo];
        this.recent = new byte[capacityPowerOfTwo / 2];
    }

    /** The hash of a key; pass it to {@link #get} and {@link #put}. */
    static int hash(int tag, DirectBuffer first, DirectBuffer second) {
        long h = 0x9E3779B97F4A7C15L * (tag + 1);
        h = mix(h, first);
        if (second != null) {
            h = mix(h ^ 0x632BE59BD9B4E019L, second);
        }
        // A full avalanche (MurmurHash3's finaliser): the slot is taken from the low bits, and a
        // multiply alone moves a difference only upwards, so keys differing in their last byte
        // (bench-sqs-0, bench-sqs-1) shared a slot and evicted each other on every use.
        h = (h ^ h >>> 33) * 0xFF51AFD7ED558CCDL;
        h = (h ^ h >>> 33) * 0xC4CEB9FE1A85EC53L;
        return (int) (h ^ h >>> 33);
    }

    /**
     * Mixes a slice into the hash, eight bytes at a time in two independent lanes (one multiply
     * each, so the chain of multiplies is half as long); {@link #hash} then avalanches the result.
     * Every byte counts: sampling a long key's ends and middle left keys that differ elsewhere
     * (KMS key ARNs) sharing slots.
     */
    private static long mix(long h, DirectBuffer buffer) {
        int length = buffer.capacity();
        long even = h;
        long odd = h ^ 0x632BE59BD9B4E019L;
        int i = 0;
        for (; i + 16 <= length; i += 16) {
            even = (even + buffer.getLong(i)) * 0x9E3779B97F4A7C15L;
            odd = (odd + buffer.getLong(i + 8)) * 0xC2B2AE3D27D4EB4FL;
        }
        if (i + 8 <= length) {
            even = (even + buffer.getLong(i)) * 0x9E3779B97F4A7C15L;
            i += 8;
        }
        for (; i < length; i++) {
            odd = (odd + buffer.getByte(i)) * 0xC2B2AE3D27D4EB4FL;
        }
        return (even ^ Long.rotateLeft(odd, 31)) + length;
    }

    /** The value kept for this key, or null. */
    V get(int hash, DirectBuffer first, DirectBuffer second) {
        int slot = hash & mask;
        V value = at(slot, hash, first, second);
        return value != null ? value : at(slot ^ 1, hash, first, second);
    }

    @SuppressWarnings("unchecked")
    private V at(int slot, int hash, DirectBuffer first, DirectBuffer second) {
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
        recent[slot >> 1] = (byte) (slot & 1);
        return (V) values[slot];
    }

    /**
     * Keeps the value for this key in one of the two slots its hash names: an empty one, else the
     * one not found last. Two ways rather than one: with one, two busy keys that share a slot
     * evict each other on every use.
     */
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
        int pair = hash & mask & ~1;
        int slot = keys[pair] == null ? pair : keys[pair + 1] == null ? pair + 1 : pair + 1 - recent[pair >> 1];
        recent[pair >> 1] = (byte) (slot & 1);
        hashes[slot] = hash;
        splits[slot] = firstLength;
        keys[slot] = new UnsafeBuffer(bytes);
        values[slot] = value;
    }

    private static boolean equal(UnsafeBuffer key, int offset, DirectBuffer other, int length) {
        byte[] array = other.byteArray();
        if (array != null) {
            int from = other.wrapAdjustment();
            return Arrays.equals(key.byteArray(), offset, offset + length, array, from, from + length);
        }
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
