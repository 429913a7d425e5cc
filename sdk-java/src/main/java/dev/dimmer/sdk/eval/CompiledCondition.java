package dev.dimmer.sdk.eval;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A condition ready to test: the attribute to read, the matcher for its values, and {@code
 * negate}. DESIGN.md §3: a missing or unreadable attribute makes the predicate false and negate
 * then inverts it; a collection attribute matches when any element does.
 */
abstract sealed class CompiledCondition {

    /** A condition that can never hold, negated or not (unknown operator, or no usable value). */
    static final CompiledCondition NEVER = new Never();

    abstract boolean holds(String key, Map<String, ?> attributes);

    /**
     * The value of {@code attribute}: the attributes map's, else the evaluation key for the
     * attribute {@code key}. Null when missing.
     */
    static Object lookup(String attribute, boolean isKey, String key, Map<String, ?> attributes) {
        Object value = attributes == null ? null : attributes.get(attribute);
        return value == null && isKey ? key : value;
    }

    /** Tests an attribute's value against a {@link ValueMatcher}. */
    static final class OnAttribute extends CompiledCondition {
        private final String attribute;
        private final boolean isKey;
        private final Clock clockWhenMissing; // non-null only for currentTime, which defaults to now
        private final ValueMatcher matcher;
        private final boolean negate;

        OnAttribute(String attribute, ValueMatcher matcher, boolean negate, Clock clockWhenMissing) {
            this.attribute = attribute;
            this.isKey = "key".equals(attribute);
            this.clockWhenMissing = clockWhenMissing;
            this.matcher = matcher;
            this.negate = negate;
        }

        @Override
        boolean holds(String key, Map<String, ?> attributes) {
            Object value = lookup(attribute, isKey, key, attributes);
            if (value == null && clockWhenMissing != null) {
                value = clockWhenMissing.instant();
            }
            return predicate(value) != negate;
        }

        private boolean predicate(Object value) {
            if (value == null) {
                return false;
            }
            if (value instanceof Collection<?> values) {
                return anyMatches(values);
            }
            return matcher.matches(value);
        }

        private boolean anyMatches(Collection<?> values) {
            if (values instanceof List<?> list && values instanceof RandomAccess) {
                for (int i = 0, n = list.size(); i < n; i++) { // no iterator on the common path
                    Object element = list.get(i);
                    if (element != null && matcher.matches(element)) {
                        return true;
                    }
                }
                return false;
            }
            for (Object element : values) {
                if (element != null && matcher.matches(element)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** IN_SEGMENT: the attribute (the key by default) is in any of the named segments. */
    static final class InSegment extends CompiledCondition {
        private final String attribute;
        private final boolean isKey;
        private final CompiledSegment[] segments;
        private final boolean negate;

        InSegment(String attribute, CompiledSegment[] segments, boolean negate) {
            this.attribute = attribute == null || attribute.isBlank() ? "key" : attribute;
            this.isKey = "key".equals(this.attribute);
            this.segments = segments;
            this.negate = negate;
        }

        @Override
        boolean holds(String key, Map<String, ?> attributes) {
            Object member = lookup(attribute, isKey, key, attributes);
            String memberKey = member == null ? null : AttributeValues.text(member);
            boolean in = false;
            for (CompiledSegment segment : segments) {
                if (segment.contains(memberKey, key, attributes)) {
                    in = true;
                    break;
                }
            }
            return in != negate;
        }
    }

    private static final class Never extends CompiledCondition {
        @Override
        boolean holds(String key, Map<String, ?> attributes) {
            return false;
        }
    }
}
