package dev.dimmer.server.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Parses ISO-8601 instants to microseconds since the epoch, the precision PostgreSQL stores. SDKs send
 * {@code 2026-11-26T10:15:30.123Z}; parsing that by hand, without an object per item, is about ten times cheaper than
 * {@link OffsetDateTime#parse}, which matters at 1 000 items a batch. Anything else (offsets, other precision) goes
 * through {@code OffsetDateTime.parse}, so the accepted syntax is exactly ISO_OFFSET_DATE_TIME.
 */
final class Instants {

    /** Returned by the fast path for text it does not handle. */
    private static final long FALL_BACK = Long.MIN_VALUE;

    private Instants() {}

    /**
     * Microseconds since 1970-01-01T00:00Z, nanoseconds rounded half up as PostgreSQL rounds them.
     *
     * @throws DateTimeParseException when {@code text} is not an ISO-8601 date-time with offset
     */
    static long parseMicros(CharSequence text) {
        long fast = parseUtc(text);
        return fast != FALL_BACK ? fast : micros(OffsetDateTime.parse(text).toInstant());
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 500) / 1000);
    }

    static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or {@link #FALL_BACK}. */
    private static long parseUtc(CharSequence s) {
        int n = s.length();
        if (n < 20
                || s.charAt(n - 1) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return FALL_BACK;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return FALL_BACK;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return FALL_BACK;
            }
            int value = digits(s, 20, fraction);
            if (value < 0) {
                return FALL_BACK;
            }
            for (int i = fraction; i < 9; i++) {
                value *= 10;
            }
            nanos = value;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return FALL_BACK; // e.g. 2026-02-30: let the full parser produce the error
        }
        long seconds = epochDay * 86_400 + hour * 3600 + minute * 60 + second;
        return seconds * 1_000_000L + (nanos + 500) / 1000;
    }

    private static int digits(CharSequence s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
