package dev.dimmer.server.system;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every problem of a request body so one response names them all, instead of making the
 * caller fix them one round trip at a time.
 */
public final class Violations {

    /** Keys of projects, environments, flags, segments and metrics. */
    public static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    private final List<InvalidField> fields = new ArrayList<>();

    public Violations add(String pointer, String detail) {
        fields.add(new InvalidField(pointer, detail));
        return this;
    }

    public Violations addAll(List<InvalidField> more) {
        fields.addAll(more);
        return this;
    }

    public void requireKey(String pointer, String value) {
        if (value == null || value.isEmpty()) {
            add(pointer, "is required");
        } else if (!KEY.matcher(value).matches()) {
            add(pointer, "must match " + KEY.pattern() + " (lower-case letters, digits, '.', '_', '-'; at most 128)");
        }
    }

    public void requireText(String pointer, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            add(pointer, "is required");
        } else {
            maxLength(pointer, value, maxLength);
        }
    }

    public void maxLength(String pointer, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            add(pointer, "must be at most " + maxLength + " characters");
        }
    }

    /** The earliest instant the API accepts: before it, nothing Dimmer records can exist. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** The latest instant the API accepts: far beyond any plan, well inside what PostgreSQL and Java can add to. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * {@code value} as an ISO-8601 date-time with offset between {@link #EARLIEST} and {@link #LATEST}, or null (and
     * a violation at {@code pointer}). Every instant a request carries is read here: an absurd one such as
     * {@code -999999999-01-01T00:00:00Z} parses, and then overflows whatever arithmetic or column meets it.
     */
    public Instant instant(String pointer, String value) {
        Instant instant;
        try {
            instant = value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            instant = null;
        }
        if (instant == null || instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            add(
                    pointer,
                    "must be an ISO-8601 instant with offset, such as 2030-01-31T09:00:00Z, between " + EARLIEST
                            + " and " + LATEST);
            return null;
        }
        return instant;
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Throws a 400 naming every collected field, if any. */
    public void throwIfAny() {
        if (!fields.isEmpty()) {
            throw ApiException.invalid(List.copyOf(fields));
        }
    }
}
