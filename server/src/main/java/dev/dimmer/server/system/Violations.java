package dev.dimmer.server.system;

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
