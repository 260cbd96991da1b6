package dev.gavel.sidecar.binary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The byte-keyed cache finds what was put under the same bytes, in heap and direct buffers, and nothing else. */
class ByteTableTest {

    private static UnsafeBuffer slice(UnsafeBuffer whole, String text, int at) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        whole.putBytes(at, bytes);
        return new UnsafeBuffer(whole, at, bytes.length);
    }

    @Test
    void findsByBytesWhereverTheyLie() {
        ByteTable<String> table = new ByteTable<>(64, 512);
        for (UnsafeBuffer whole : new UnsafeBuffer[] {new UnsafeBuffer(new byte[1024]),
            new UnsafeBuffer(ByteBuffer.allocateDirect(1024)), new UnsafeBuffer(ByteBuffer.allocate(1024))}) {
            for (String text : new String[] {"s3:GetObject", "", "arn:aws:s3:::example-payments-data/orders/1.csv",
                "arn:aws:dynamodb:eu-west-1:111122223333:table/bench-table-2"}) {
                UnsafeBuffer first = slice(whole, text, 7);
                int hash = ByteTable.hash(0, first, null);
                table.put(hash, first, null, text);
                UnsafeBuffer again = slice(whole, text, 300);
                assertThat(ByteTable.hash(0, again, null)).isEqualTo(hash);
                assertThat(table.get(hash, again, null)).as(text).isEqualTo(text);
                UnsafeBuffer other = slice(whole, text + "x", 600);
                assertThat(table.get(ByteTable.hash(0, other, null), other, null)).isNull();
            }
        }
    }

    @Test
    void twoSliceKeysKeepTheirSplit() {
        ByteTable<String> table = new ByteTable<>(64, 512);
        UnsafeBuffer whole = new UnsafeBuffer(new byte[256]);
        UnsafeBuffer a = slice(whole, "AKIA", 0);
        UnsafeBuffer b = slice(whole, "token", 10);
        table.put(ByteTable.hash(1, a, b), a, b, "pair");
        assertThat(table.get(ByteTable.hash(1, a, b), a, b)).isEqualTo("pair");
        UnsafeBuffer shifted = slice(whole, "AKIAt", 20);
        UnsafeBuffer rest = slice(whole, "oken", 30);
        assertThat(table.get(ByteTable.hash(1, shifted, rest), shifted, rest)).isNull();
    }

    @Test
    void keysDifferingInTheirLastByteSpreadOverTheSlots() {
        UnsafeBuffer whole = new UnsafeBuffer(new byte[256]);
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            slots.add(ByteTable.hash(0, slice(whole, "arn:aws:sqs:eu-west-1:111122223333:bench-sqs-" + i, 0), null)
                    & 8191);
        }
        assertThat(slots).hasSizeGreaterThan(7);
    }
}
