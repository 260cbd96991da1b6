package dev.gavel.report;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decision ids: unique within the process and, with a random 64-bit prefix drawn at start-up,
 * across processes with overwhelming probability. {@code 9f86d081884c7d65-2a}: the prefix, then a
 * counter in hexadecimal. One atomic increment and one short string per id.
 */
public final class DecisionIds {

    private static final String PREFIX = String.format("%016x-", new SecureRandom().nextLong());
    private static final AtomicLong COUNTER = new AtomicLong();

    private DecisionIds() {}

    /** The next decision id. */
    public static String next() {
        return PREFIX.concat(Long.toHexString(COUNTER.incrementAndGet()));
    }
}
