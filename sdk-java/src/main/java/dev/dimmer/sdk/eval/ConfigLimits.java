package dev.dimmer.sdk.eval;

/**
 * How big a flag configuration or segment definition may be, checked by {@link ConfigValidator}
 * with a JSON pointer to the first thing over the limit. The server enforces these on save
 * (configurable there, {@code dimmer.limits.*}); the defaults are {@link #DEFAULTS}.
 *
 * <p>Pattern limits cannot exceed the engine's own ceilings ({@link #ENGINE_MAX_PATTERN_LENGTH},
 * {@link #ENGINE_MAX_PATTERN_PROGRAM}): every SDK refuses to compile a pattern beyond them, so a
 * server allowing more would save rules that no SDK applies.
 *
 * @param maxRules rules per flag configuration
 * @param maxConditions conditions per rule, and per segment
 * @param maxValues values per condition
 * @param maxValueLength characters per condition value (patterns: {@code maxPatternLength})
 * @param maxPatternLength characters per {@code MATCHES} pattern
 * @param maxPatternProgram estimated instructions of a compiled {@code MATCHES} pattern; counted
 *     repetition multiplies it ({@code a{1000}} is about 1000, {@code (a{1000}){100}} about 100 000),
 *     and every evaluation may walk all of it
 * @param maxTreatments treatments per flag, and arms per split
 * @param maxPrerequisites prerequisites per flag configuration
 */
public record ConfigLimits(
        int maxRules,
        int maxConditions,
        int maxValues,
        int maxValueLength,
        int maxPatternLength,
        int maxPatternProgram,
        int maxTreatments,
        int maxPrerequisites) {

    /** No SDK compiles a pattern longer than this. */
    public static final int ENGINE_MAX_PATTERN_LENGTH = 10_000;
    /** No SDK compiles a pattern whose estimated program is larger than this. */
    public static final int ENGINE_MAX_PATTERN_PROGRAM = 20_000;

    public static final ConfigLimits DEFAULTS = new ConfigLimits(200, 50, 1_000, 1_000, 1_000, 2_000, 50, 20);

    public ConfigLimits {
        requirePositive("maxRules", maxRules);
        requirePositive("maxConditions", maxConditions);
        requirePositive("maxValues", maxValues);
        requirePositive("maxValueLength", maxValueLength);
        requirePositive("maxPatternLength", maxPatternLength);
        requirePositive("maxPatternProgram", maxPatternProgram);
        requirePositive("maxTreatments", maxTreatments);
        requirePositive("maxPrerequisites", maxPrerequisites);
        if (maxPatternLength > ENGINE_MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("maxPatternLength " + maxPatternLength
                    + " is above the engine's ceiling " + ENGINE_MAX_PATTERN_LENGTH);
        }
        if (maxPatternProgram > ENGINE_MAX_PATTERN_PROGRAM) {
            throw new IllegalArgumentException("maxPatternProgram " + maxPatternProgram
                    + " is above the engine's ceiling " + ENGINE_MAX_PATTERN_PROGRAM);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }
}
