package dev.dimmer.server.ingest;

import java.util.function.Predicate;

/**
 * The few distinct values a batch repeats in every item (flag keys, treatments, labels), each validated and made a
 * String once per batch instead of once per item. Bounded: past {@link #CAPACITY} distinct values a value is
 * validated and made anew each time, which is only slower.
 */
final class RepeatedStrings {

    static final int CAPACITY = 32;

    private final String[] seen = new String[CAPACITY];
    private final Predicate<String> valid;
    private int size;

    /** Only values that pass {@code valid} are kept, so a hit needs no second check. */
    RepeatedStrings(Predicate<String> valid) {
        this.valid = valid;
    }

    /** The value as a String, or null when it is not valid. */
    String validated(TextValue value) {
        for (int i = 0; i < size; i++) {
            if (value.contentEquals(seen[i])) {
                return seen[i];
            }
        }
        String s = value.toString();
        if (!valid.test(s)) {
            return null;
        }
        if (size < CAPACITY) {
            seen[size++] = s;
        }
        return s;
    }
}
