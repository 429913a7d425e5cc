package dev.dimmer.server.system;

import dev.dimmer.sdk.eval.ConfigLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How big what people save may be ({@code dimmer.limits.*}; docs/security.md "Limits"). Checked on
 * save with a 400 naming the field, so one oversized rule cannot exhaust memory, hold a database
 * connection or slow every SDK's evaluation. Omitted properties take the defaults below.
 *
 * @param maxRules rules per flag configuration
 * @param maxConditions conditions per rule and per segment
 * @param maxValues values per condition
 * @param maxValueLength characters per condition value
 * @param maxPatternLength characters per {@code MATCHES} pattern (at most the engine's 10 000)
 * @param maxPatternProgram estimated instructions of a compiled pattern (at most the engine's 20 000)
 * @param maxTreatments treatments per flag, and arms per split
 * @param maxPrerequisites prerequisites per flag configuration
 * @param maxSegmentKeys explicit keys per segment
 * @param maxRequestBody bytes of a request body (the admin API; SDK ingestion has {@code dimmer.ingest.max-bytes})
 */
@ConfigurationProperties("dimmer.limits")
public record Limits(
        Integer maxRules,
        Integer maxConditions,
        Integer maxValues,
        Integer maxValueLength,
        Integer maxPatternLength,
        Integer maxPatternProgram,
        Integer maxTreatments,
        Integer maxPrerequisites,
        Integer maxSegmentKeys,
        DataSize maxRequestBody) {

    public Limits {
        ConfigLimits d = ConfigLimits.DEFAULTS;
        maxRules = maxRules == null ? d.maxRules() : maxRules;
        maxConditions = maxConditions == null ? d.maxConditions() : maxConditions;
        maxValues = maxValues == null ? d.maxValues() : maxValues;
        maxValueLength = maxValueLength == null ? d.maxValueLength() : maxValueLength;
        maxPatternLength = maxPatternLength == null ? d.maxPatternLength() : maxPatternLength;
        maxPatternProgram = maxPatternProgram == null ? d.maxPatternProgram() : maxPatternProgram;
        maxTreatments = maxTreatments == null ? d.maxTreatments() : maxTreatments;
        maxPrerequisites = maxPrerequisites == null ? d.maxPrerequisites() : maxPrerequisites;
        maxSegmentKeys = maxSegmentKeys == null ? 100_000 : maxSegmentKeys;
        maxRequestBody = maxRequestBody == null ? DataSize.ofMegabytes(8) : maxRequestBody;
        if (maxSegmentKeys < 1 || maxRequestBody.toBytes() < 1024) {
            throw new IllegalArgumentException(
                    "dimmer.limits.max-segment-keys must be at least 1 and max-request-body at least 1KB");
        }
        config(
                maxRules,
                maxConditions,
                maxValues,
                maxValueLength,
                maxPatternLength,
                maxPatternProgram,
                maxTreatments,
                maxPrerequisites); // fails startup on a limit the engine cannot honour
    }

    /** The limits the shared validator (sdk-java {@code ConfigValidator}) checks. */
    public ConfigLimits config() {
        return config(
                maxRules,
                maxConditions,
                maxValues,
                maxValueLength,
                maxPatternLength,
                maxPatternProgram,
                maxTreatments,
                maxPrerequisites);
    }

    private static ConfigLimits config(
            int rules,
            int conditions,
            int values,
            int valueLength,
            int patternLength,
            int patternProgram,
            int treatments,
            int prerequisites) {
        return new ConfigLimits(
                rules, conditions, values, valueLength, patternLength, patternProgram, treatments, prerequisites);
    }
}
