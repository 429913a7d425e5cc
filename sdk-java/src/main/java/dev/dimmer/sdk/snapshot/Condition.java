package dev.dimmer.sdk.snapshot;

import java.util.List;

/**
 * A predicate on one attribute. It holds when the attribute matches any of {@code values} under
 * {@code operator}; {@code negate} inverts it. The operator is kept as text on the wire so an
 * SDK older than the server never fails to parse a snapshot: an operator it does not know simply
 * never matches (the server refuses unknown operators on save).
 */
public record Condition(
        String attribute, String operator, List<String> values, boolean negate, boolean caseInsensitive) {

    public Condition {
        values = values == null ? List.of() : List.copyOf(values);
    }
}
