package dev.gavel.compile;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Readers of typed condition values: numbers, dates and IP addresses. Each reads a request value
 * into the scratch's fields without allocating for the forms requests carry (integers and short
 * decimals, {@code 2026-12-01T05:20:38Z}, dotted IPv4 and IPv6 text); rarer forms fall back to
 * the JDK's parsers, which agree on what they accept.
 *
 * <p>What is accepted, as the policy language reads it: a number is optional sign, digits and
 * one optional point (no exponent); a date is epoch seconds (with a fraction) or ISO 8601 with an
 * offset, without one (UTC), or a date alone; an address is a literal IPv4 or IPv6 address.
 */
final class Values {

    /** A value that cannot be read as the type. */
    static final int INVALID = 0;
    /** Read into the scratch's primitive fields. */
    static final int FAST = 1;
    /** Valid, but too long for the primitive fields: compare as BigDecimal. */
    static final int BIG = 2;

    private static final int MAX_FAST_DIGITS = 18;
    private static final long MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();

    private Values() {}

    // ---- numbers

    /** Reads a number into {@code scratch.number} and {@code scratch.scale}: FAST, BIG or INVALID. */
    static int number(String text, EvalScratch scratch) {
        int length = text.length();
        if (length == 0) {
            return INVALID;
        }
        int i = 0;
        boolean negative = false;
        char first = text.charAt(0);
        if (first == '+' || first == '-') {
            negative = first == '-';
            i = 1;
        }
        long unscaled = 0;
        int digits = 0;
        int scale = 0;
        boolean point = false;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                if (digits <= MAX_FAST_DIGITS) {
                    unscaled = unscaled * 10 + (c - '0');
                }
                if (point) {
                    scale++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return INVALID;
            }
        }
        if (digits == 0) {
            return INVALID;
        }
        if (digits > MAX_FAST_DIGITS) {
            return BIG;
        }
        scratch.number = negative ? -unscaled : unscaled;
        scratch.scale = scale;
        return FAST;
    }

    /** The number as BigDecimal, or null when it is not one; for policy values and the BIG case. */
    static BigDecimal bigNumber(String text) {
        if (text.isEmpty()) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '-' || c == '.' || c == '+')) {
                return null;
            }
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Compares two fast numbers exactly; returns {@link Integer#MIN_VALUE} when aligning their
     * scales would overflow a long, and the caller compares them as BigDecimal.
     */
    static int compare(long a, int aScale, long b, int bScale) {
        if (aScale != bScale) {
            int shift = Math.abs(aScale - bScale);
            long factor = 1;
            for (int i = 0; i < shift; i++) {
                factor *= 10;
                if (factor > MAX_FAST_FACTOR) {
                    return Integer.MIN_VALUE;
                }
            }
            try {
                if (aScale < bScale) {
                    a = Math.multiplyExact(a, factor);
                } else {
                    b = Math.multiplyExact(b, factor);
                }
            } catch (ArithmeticException e) {
                return Integer.MIN_VALUE;
            }
        }
        return Long.compare(a, b);
    }

    private static final long MAX_FAST_FACTOR = 1_000_000_000_000_000_000L;

    // ---- dates

    /**
     * Reads a date into {@code scratch.seconds} and {@code scratch.nanos}; returns whether it is
     * one. The common forms are read in place; the others through java.time.
     */
    static boolean date(String text, EvalScratch scratch) {
        if (fastEpoch(text, scratch) || fastIso(text, scratch)) {
            return true;
        }
        Instant instant = slowDate(text);
        if (instant == null) {
            return false;
        }
        scratch.seconds = instant.getEpochSecond();
        scratch.nanos = instant.getNano();
        return true;
    }

    /** Whole epoch seconds written as plain digits. */
    private static boolean fastEpoch(String text, EvalScratch scratch) {
        int length = text.length();
        if (length == 0 || length > 17) {
            return false;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        if (value > MAX_EPOCH_SECOND) {
            return false;
        }
        scratch.seconds = value;
        scratch.nanos = 0;
        return true;
    }

    /** {@code yyyy-MM-dd} or {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, with valid fields. */
    private static boolean fastIso(String text, EvalScratch scratch) {
        int length = text.length();
        if (length < 10 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 7)
                || text.charAt(7) != '-' || !digits(text, 8, 10)) {
            return false;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
            return false;
        }
        long days = epochDay(year, month, day);
        if (length == 10) {
            scratch.seconds = days * 86_400;
            scratch.nanos = 0;
            return true;
        }
        if (length < 20 || text.charAt(10) != 'T' || !digits(text, 11, 13) || text.charAt(13) != ':'
                || !digits(text, 14, 16) || text.charAt(16) != ':' || !digits(text, 17, 19)
                || text.charAt(length - 1) != 'Z') {
            return false;
        }
        int hour = number(text, 11, 13);
        int minute = number(text, 14, 16);
        int second = number(text, 17, 19);
        if (hour > 23 || minute > 59 || second > 59) {
            return false;
        }
        int nanos = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9 || !digits(text, 20, length - 1)) {
                return false;
            }
            nanos = number(text, 20, length - 1);
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        scratch.seconds = days * 86_400 + hour * 3_600L + minute * 60L + second;
        scratch.nanos = nanos;
        return true;
    }

    /** A date in any accepted form, through java.time; null when it is none. */
    static Instant slowDate(String text) {
        BigDecimal epoch = bigNumber(text);
        if (epoch != null) {
            BigDecimal whole = new BigDecimal(epoch.toBigInteger());
            long nanos = epoch.subtract(whole).movePointRight(9).longValue();
            try {
                return Instant.ofEpochSecond(whole.longValueExact(), nanos);
            } catch (ArithmeticException | DateTimeException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            // the forms without an offset below
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // a date alone below
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean leap(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days from 1970-01-01 to a proleptic Gregorian date (the algorithm java.time uses). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!leap(year)) {
                total--;
            }
        }
        return total - 719_528;
    }

    // ---- IP addresses

    /**
     * Reads a literal IPv4 or IPv6 address into {@code scratch.ipWidth} (4 or 16 bytes),
     * {@code ipHigh} and {@code ipLow}; returns whether it is one.
     */
    static boolean address(String text, EvalScratch scratch) {
        return text.indexOf(':') >= 0 ? v6(text, scratch) : v4(text, 0, text.length(), scratch);
    }

    private static boolean v4(String text, int from, int to, EvalScratch scratch) {
        long value = 0;
        int parts = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == '.') {
                int length = i - start;
                if (length < 1 || length > 3 || !digits(text, start, i)) {
                    return false;
                }
                int part = number(text, start, i);
                if (part > 255) {
                    return false;
                }
                value = value << 8 | part;
                parts++;
                start = i + 1;
            }
        }
        if (parts != 4) {
            return false;
        }
        scratch.ipWidth = 4;
        scratch.ipHigh = 0;
        scratch.ipLow = value;
        return true;
    }

    private static boolean v6(String text, EvalScratch scratch) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int headEnd = gap >= 0 ? gap : text.length();
        int headCount = groups(text, 0, headEnd, gap < 0, scratch);
        if (headCount < 0) {
            return false;
        }
        long headHigh = scratch.ipHigh;
        long headLow = scratch.ipLow;
        int tailCount = 0;
        long tailHigh = 0;
        long tailLow = 0;
        if (gap >= 0) {
            tailCount = groups(text, gap + 2, text.length(), true, scratch);
            if (tailCount < 0) {
                return false;
            }
            tailHigh = scratch.ipHigh;
            tailLow = scratch.ipLow;
        }
        int total = headCount + tailCount;
        if (gap < 0 ? total != 8 : total > 7) {
            return false;
        }
        // The head's groups take the first positions; the tail's the last.
        long high = 0;
        long low = 0;
        for (int i = 0; i < headCount; i++) {
            long group = group(headHigh, headLow, headCount, i);
            if (i < 4) {
                high |= group << (48 - 16 * i);
            } else {
                low |= group << (48 - 16 * (i - 4));
            }
        }
        for (int i = 0; i < tailCount; i++) {
            long group = group(tailHigh, tailLow, tailCount, i);
            int position = 8 - tailCount + i;
            if (position < 4) {
                high |= group << (48 - 16 * position);
            } else {
                low |= group << (48 - 16 * (position - 4));
            }
        }
        scratch.ipWidth = 16;
        scratch.ipHigh = high;
        scratch.ipLow = low;
        return true;
    }

    /** Group {@code i} of {@code count} groups packed right-aligned into (high, low). */
    private static long group(long high, long low, int count, int i) {
        int fromRight = count - 1 - i;
        return fromRight < 4 ? (low >>> (16 * fromRight)) & 0xffff : (high >>> (16 * (fromRight - 4))) & 0xffff;
    }

    /**
     * Reads the 16-bit groups of one side of {@code ::}, right-aligned into scratch (high, low);
     * the last may be a dotted IPv4 address, which counts as two. Returns the count, or -1.
     */
    private static int groups(String text, int from, int to, boolean mayEndInV4, EvalScratch scratch) {
        long high = 0;
        long low = 0;
        int count = 0;
        if (from == to) {
            scratch.ipHigh = 0;
            scratch.ipLow = 0;
            return 0;
        }
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i < to && text.charAt(i) != ':') {
                continue;
            }
            boolean last = i == to;
            if (last && mayEndInV4 && text.indexOf('.', start) >= 0 && text.indexOf('.', start) < to) {
                if (!v4(text, start, to, scratch)) {
                    return -1;
                }
                long four = scratch.ipLow;
                high = high << 32 | low >>> 32;
                low = low << 32 | four;
                count += 2;
                if (count > 8) {
                    return -1;
                }
                break;
            }
            int length = i - start;
            if (length < 1 || length > 4) {
                return -1;
            }
            int value = 0;
            for (int j = start; j < i; j++) {
                int digit = Character.digit(text.charAt(j), 16);
                if (digit < 0) {
                    return -1;
                }
                value = value * 16 + digit;
            }
            high = high << 16 | low >>> 48;
            low = low << 16 | value;
            count++;
            if (count > 8) {
                return -1;
            }
            start = i + 1;
        }
        scratch.ipHigh = high;
        scratch.ipLow = low;
        return count;
    }
}
