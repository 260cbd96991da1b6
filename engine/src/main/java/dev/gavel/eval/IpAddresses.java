package dev.gavel.eval;

/**
 * The reference evaluator's IP address and CIDR reading: literal IPv4 and IPv6 addresses only
 * (never a name lookup), and containment by prefix. IPv4 and IPv6 are separate families: an
 * IPv4 address is never inside an IPv6 range, mapped or not.
 */
final class IpAddresses {

    private IpAddresses() {}

    /**
     * Whether {@code address} lies in {@code range} (a CIDR block or a bare address); null when
     * either side is not well-formed.
     */
    static Boolean contains(String range, String address) {
        byte[] ip = parse(address);
        if (ip == null) {
            return null;
        }
        String base = range;
        int prefix = -1;
        int slash = range.indexOf('/');
        if (slash >= 0) {
            base = range.substring(0, slash);
            String bits = range.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
                return null;
            }
            prefix = Integer.parseInt(bits);
        }
        byte[] network = parse(base);
        if (network == null) {
            return null;
        }
        int width = network.length * 8;
        if (prefix < 0) {
            prefix = width;
        }
        if (prefix > width) {
            return null;
        }
        if (network.length != ip.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((network[bit / 8] & mask) != (ip[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address's bytes (4 or 16), or null when it is not a literal address. */
    static byte[] parse(String text) {
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = groups(head, gap < 0);
        int[] tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            put(bytes, i, headGroups[i]);
        }
        for (int i = 0; i < tailGroups.length; i++) {
            put(bytes, 8 - tailGroups.length + i, tailGroups[i]);
        }
        return bytes;
    }

    /** 16-bit groups of one side of {@code ::}; the last may be a dotted IPv4 address. */
    private static int[] groups(String side, boolean mayEndInV4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int last = parts.length - 1;
        boolean v4 = mayEndInV4 && parts[last].indexOf('.') >= 0;
        int[] groups = new int[parts.length + (v4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == last && v4) {
                byte[] four = parseV4(part);
                if (four == null) {
                    return null;
                }
                groups[i] = ((four[0] & 0xff) << 8) | (four[1] & 0xff);
                groups[i + 1] = ((four[2] & 0xff) << 8) | (four[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            groups[i] = value;
        }
        return groups;
    }

    private static void put(byte[] bytes, int group, int value) {
        bytes[group * 2] = (byte) (value >>> 8);
        bytes[group * 2 + 1] = (byte) value;
    }
}
