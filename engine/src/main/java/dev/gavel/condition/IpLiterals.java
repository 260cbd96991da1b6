package dev.gavel.condition;

import java.util.ArrayList;
import java.util.List;

/** Reads literal IPv4 and IPv6 addresses into bytes, strictly: no names, no zones, no octal. */
public final class IpLiterals {

    private IpLiterals() {}

    /** 4 bytes for IPv4, 16 for IPv6, or null when the text is not an address. */
    public static byte[] parse(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        return text.indexOf(':') >= 0 ? v6(text) : v4(text, 0, text.length());
    }

    private static byte[] v4(String text, int from, int to) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i <= to; i++) {
            char c = i < to ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && part < 4) {
                bytes[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    private static byte[] v6(String text) {
        byte[] bytes = new byte[16];
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(text, 0, gap >= 0 ? gap : text.length(), gap < 0);
        int[] tail = gap >= 0 ? groups(text, gap + 2, text.length(), true) : new int[0];
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        for (int i = 0; i < head.length; i++) {
            bytes[2 * i] = (byte) (head[i] >>> 8);
            bytes[2 * i + 1] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            int at = 8 - tail.length + i;
            bytes[2 * at] = (byte) (tail[i] >>> 8);
            bytes[2 * at + 1] = (byte) tail[i];
        }
        return bytes;
    }

    /** The 16-bit groups in text[from, to); the last may be a dotted IPv4 address (two groups). */
    private static int[] groups(String text, int from, int to, boolean lastMayBeV4) {
        if (from == to) {
            return new int[0];
        }
        List<Integer> groups = new ArrayList<>(8);
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i < to && text.charAt(i) != ':') {
                continue;
            }
            if (i == start) {
                return null;
            }
            if (i == to && lastMayBeV4 && text.substring(start, to).indexOf('.') >= 0) {
                byte[] four = v4(text, start, to);
                if (four == null) {
                    return null;
                }
                groups.add(((four[0] & 0xff) << 8) | (four[1] & 0xff));
                groups.add(((four[2] & 0xff) << 8) | (four[3] & 0xff));
            } else {
                if (i - start > 4) {
                    return null;
                }
                int value = 0;
                for (int j = start; j < i; j++) {
                    int digit = Character.digit(text.charAt(j), 16);
                    if (digit < 0) {
                        return null;
                    }
                    value = (value << 4) | digit;
                }
                groups.add(value);
            }
            start = i + 1;
        }
        return groups.stream().mapToInt(Integer::intValue).toArray();
    }
}
