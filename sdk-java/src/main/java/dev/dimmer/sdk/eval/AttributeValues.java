package dev.dimmer.sdk.eval;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Date;

/**
 * Reads attribute values (and condition values) as text, numbers and instants. Attributes come
 * from application code with any Java type; an attribute that cannot be read as what the operator
 * needs yields null here, which makes the predicate false (DESIGN.md §3).
 */
final class AttributeValues {

    private AttributeValues() {}

    /** The attribute as text: strings as they are, anything else through {@code toString}. */
    static String text(Object value) {
        return value instanceof String s ? s : String.valueOf(value);
    }

    /** The attribute as a finite number, or null. Booleans are not numbers. */
    static Double number(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Boolean) {
            return null;
        }
        return parseNumber(text(value));
    }

    /**
     * A decimal number such as {@code 12}, {@code -3.5} or {@code 1e3}, or null. Stricter than
     * {@link Double#parseDouble}, which would also take {@code 12d}, {@code 0x1p3} or {@code NaN}.
     */
    static Double parseNumber(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return null;
            }
        }
        if (!digit) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The attribute as an instant: temporals, {@link Date}, epoch millis, or ISO-8601 text. */
    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        if (value instanceof TemporalAccessor t) {
            try {
                return Instant.from(t);
            } catch (DateTimeException notAnInstant) {
                return null; // e.g. a LocalDate: no time zone, so no instant
            }
        }
        if (value instanceof Number n) {
            return n instanceof Double || n instanceof Float ? null : Instant.ofEpochMilli(n.longValue());
        }
        if (value instanceof Boolean) {
            return null;
        }
        return parseInstant(text(value));
    }

    /** ISO-8601 with an offset ({@code 2022-01-29T13:00:00.000Z}, {@code …+02:00}) or epoch millis. */
    static Instant parseInstant(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (isEpochMillis(s)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(s));
            } catch (NumberFormatException tooLarge) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notOffsetDateTime) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException notInstant) {
                return null;
            }
        }
    }

    private static boolean isEpochMillis(String s) {
        int start = s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Booleans, and the text {@code true} in any case, are true; everything else is not. */
    static boolean isTrue(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return "true".equalsIgnoreCase(text(value).strip());
    }
}
