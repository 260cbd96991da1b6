package dev.gavel.compile;

import java.time.Clock;
import java.time.Instant;

/**
 * {@code aws:CurrentTime} and {@code aws:EpochTime} as the clock gives them, in whole seconds. The
 * strings are made once a second and shared by every check in that second.
 */
final class TimeFacts {

    /** One second's facts. */
    record Second(long epochSecond, String currentTime, String epochTime) {}

    private final Clock clock;
    private volatile Second current;

    TimeFacts(Clock clock) {
        this.clock = clock;
    }

    /** The facts of the second an instant (milliseconds since the epoch) falls in. */
    Second at(long millis) {
        long second = Math.floorDiv(millis, 1000L);
        Second cached = current;
        if (cached == null || cached.epochSecond() != second) {
            cached = new Second(second, Instant.ofEpochSecond(second).toString(), Long.toString(second));
            current = cached;
        }
        return cached;
    }

    long millis() {
        return clock.millis();
    }
}
