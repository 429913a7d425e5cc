package dev.dimmer.sdk.eval;

import com.google.re2j.Pattern;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;

/**
 * Whether one non-null attribute value matches any of a condition's values, already parsed at
 * compile time. One implementation per family of operators; each reads the attribute as what it
 * compares (text, number, instant, version, address) and answers false when it cannot.
 */
sealed interface ValueMatcher {

    boolean matches(Object value);

    /** IN: exact membership in a {@link KeySet} (lower-cased on both sides when case-insensitive). */
    record In(KeySet values, boolean caseInsensitive) implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            String text = AttributeValues.text(value);
            return values.contains(caseInsensitive ? text.toLowerCase(Locale.ROOT) : text);
        }
    }

    /** STARTS_WITH, ENDS_WITH, CONTAINS: {@code regionMatches} so case-insensitivity allocates nothing. */
    record Affix(Operator operator, String[] values, boolean caseInsensitive) implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            String text = AttributeValues.text(value);
            for (String v : values) {
                if (matches(text, v)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matches(String text, String v) {
            int room = text.length() - v.length();
            if (room < 0) {
                return false;
            }
            return switch (operator) {
                case STARTS_WITH -> text.regionMatches(caseInsensitive, 0, v, 0, v.length());
                case ENDS_WITH -> text.regionMatches(caseInsensitive, room, v, 0, v.length());
                default -> {
                    for (int i = 0; i <= room; i++) {
                        if (text.regionMatches(caseInsensitive, i, v, 0, v.length())) {
                            yield true;
                        }
                    }
                    yield false;
                }
            };
        }
    }

    /** MATCHES: RE2 "find anywhere" like Unleash's REGEX; anchors are the pattern's business. */
    record Regex(Pattern[] patterns) implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            String text = AttributeValues.text(value);
            for (Pattern p : patterns) {
                if (p.matcher(text).find()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** EQ, LT, LTE, GT, GTE on doubles; "12" equals "12.0". */
    record Numeric(Operator operator, double[] values) implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            Double number = AttributeValues.number(value);
            if (number == null) {
                return false;
            }
            double a = number;
            for (double v : values) {
                boolean hit = switch (operator) {
                    case EQ -> a == v;
                    case LT -> a < v;
                    case LTE -> a <= v;
                    case GT -> a > v;
                    default -> a >= v;
                };
                if (hit) {
                    return true;
                }
            }
            return false;
        }
    }

    /** BEFORE, AFTER: strict, as in Unleash (an instant equal to the value is neither). */
    record Temporal(boolean after, Instant[] values) implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            Instant instant = AttributeValues.instant(value);
            if (instant == null) {
                return false;
            }
            for (Instant v : values) {
                int c = instant.compareTo(v);
                if (after ? c > 0 : c < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** SEMVER_*: SemVer 2.0 precedence. */
    record Version(Operator operator, Semver[] values) implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            Semver version = value instanceof Semver s ? s : Semver.parse(AttributeValues.text(value));
            if (version == null) {
                return false;
            }
            for (Semver v : values) {
                int c = version.compareTo(v);
                boolean hit = switch (operator) {
                    case SEMVER_EQ -> c == 0;
                    case SEMVER_LT -> c < 0;
                    case SEMVER_LTE -> c <= 0;
                    case SEMVER_GT -> c > 0;
                    default -> c >= 0;
                };
                if (hit) {
                    return true;
                }
            }
            return false;
        }
    }

    /** IN_CIDR: the attribute is an address literal or an {@link InetAddress}. */
    record Cidr(IpRange[] ranges) implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            IpRange address = value instanceof InetAddress inet
                    ? IpRange.of(inet)
                    : IpRange.address(AttributeValues.text(value).strip());
            if (address == null) {
                return false;
            }
            for (IpRange range : ranges) {
                if (range.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** IS_TRUE: a Boolean true or the text "true"; the condition's values play no part. */
    record IsTrue() implements ValueMatcher {
        @Override
        public boolean matches(Object value) {
            return AttributeValues.isTrue(value);
        }
    }
}
