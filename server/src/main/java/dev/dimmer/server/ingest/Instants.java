package dev.dimmer.server.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Parses ISO-8601 instants. SDKs send {@code 2026-11-26T10:15:30.123Z}; parsing that by hand is about ten times
 * cheaper than {@link OffsetDateTime#parse}, which matters at 1 000 items a batch. Anything else (offsets, other
 * precision) goes through {@code OffsetDateTime.parse}, so the accepted syntax is exactly ISO_OFFSET_DATE_TIME.
 */
final class Instants {

    private Instants() {}

    /** @throws DateTimeParseException when {@code text} is not an ISO-8601 date-time with offset */
    static Instant parse(CharSequence text) {
        Instant fast = parseUtc(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null to fall back. */
    private static Instant parseUtc(CharSequence s) {
        int n = s.length();
        if (n < 20
                || s.charAt(n - 1) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(s, 20, fraction);
            if (value < 0) {
                return null;
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
            return null; // e.g. 2026-02-30: let the full parser produce the error
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600 + minute * 60 + second, nanos);
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
