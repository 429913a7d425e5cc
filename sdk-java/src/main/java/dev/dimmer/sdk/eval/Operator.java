package dev.dimmer.sdk.eval;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * The condition operators of DESIGN.md §3 and how each one reads its {@code values}. The wire keeps
 * operators as text; {@link #of(String)} answers null for one this SDK does not know, and such a
 * condition never matches.
 */
enum Operator {
    IN(ValueKind.TEXT),
    STARTS_WITH(ValueKind.TEXT),
    ENDS_WITH(ValueKind.TEXT),
    CONTAINS(ValueKind.TEXT),
    MATCHES(ValueKind.REGEX),
    EQ(ValueKind.NUMBER),
    LT(ValueKind.NUMBER),
    LTE(ValueKind.NUMBER),
    GT(ValueKind.NUMBER),
    GTE(ValueKind.NUMBER),
    BEFORE(ValueKind.DATE),
    AFTER(ValueKind.DATE),
    SEMVER_EQ(ValueKind.SEMVER),
    SEMVER_LT(ValueKind.SEMVER),
    SEMVER_GT(ValueKind.SEMVER),
    SEMVER_LTE(ValueKind.SEMVER),
    SEMVER_GTE(ValueKind.SEMVER),
    IN_CIDR(ValueKind.CIDR),
    IN_SEGMENT(ValueKind.SEGMENT),
    IS_TRUE(ValueKind.NONE);

    /** How the operator's values are written, and therefore parsed once at compile time. */
    enum ValueKind {
        TEXT,
        REGEX,
        NUMBER,
        DATE,
        SEMVER,
        CIDR,
        SEGMENT,
        NONE
    }

    final ValueKind kind;

    Operator(ValueKind kind) {
        this.kind = kind;
    }

    /** The operator named {@code name}, or null when unknown (including null). */
    static Operator of(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** Whether a condition with this operator is meaningless without values. */
    boolean needsValues() {
        return kind != ValueKind.NONE;
    }

    /**
     * One of the condition's values in the form the matcher compares against (a Double, an
     * Instant, a Semver, an IpRange, a re2j Pattern or the text itself), or null when the value is
     * unparsable for this operator.
     */
    Object parseValue(String value, boolean caseInsensitive) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case TEXT, SEGMENT, NONE -> value;
            case REGEX -> compileRegex(value, caseInsensitive);
            case NUMBER -> AttributeValues.parseNumber(value);
            case DATE -> AttributeValues.parseInstant(value);
            case SEMVER -> Semver.parse(value);
            case CIDR -> IpRange.parse(value);
        };
    }

    /**
     * The pattern compiled by re2j, or null when it is invalid or beyond the engine's ceilings:
     * measured before compiling, because re2j expands nested counted repetition in memory and a
     * pattern such as {@code ((a{1000}){1000}){1000}} would exhaust the heap (see {@link RegexBudget}).
     */
    private static Pattern compileRegex(String regex, boolean caseInsensitive) {
        if (regex.length() > ConfigLimits.ENGINE_MAX_PATTERN_LENGTH
                || RegexBudget.programSize(regex) > ConfigLimits.ENGINE_MAX_PATTERN_PROGRAM) {
            return null;
        }
        try {
            return Pattern.compile(regex, caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException | IllegalArgumentException invalid) {
            return null;
        }
    }
}
