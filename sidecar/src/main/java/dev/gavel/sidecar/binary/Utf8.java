package dev.gavel.sidecar.binary;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/** Strict UTF-8 decoding of strings read off the wire: malformed bytes are refused, never replaced. */
final class Utf8 {

    private Utf8() {}

    /** The bytes of the buffer as a string, or null when they are not UTF-8. */
    static String decode(DirectBuffer bytes) {
        int length = bytes.capacity();
        byte[] copy = new byte[length];
        bytes.getBytes(0, copy, 0, length);
        boolean ascii = true;
        for (byte b : copy) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(copy, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(copy)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** At most {@code maxBytes} of a string's UTF-8, cut at a character boundary, for var data fields. */
    static byte[] encodeAtMost(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }
}
