package dev.dimmer.server.exposure;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The body of {@code GET …/flags/{f}/exposure} (docs/ingestion.md). */
record ExposureReport(
        String flag,
        String environment,
        Instant from,
        Instant to,
        String interval,
        long impressions,
        long uniqueKeys,
        long multiTreatmentKeys,
        List<TreatmentCount> treatments,
        List<LabelCount> labels,
        List<Bucket> series,
        List<SdkInstance> sdks,
        Allocation allocation) {

    /** Impressions and distinct keys of one treatment in the window. */
    record TreatmentCount(String treatment, long impressions, long uniqueKeys) {}

    record LabelCount(String label, long impressions) {}

    /** One time bucket {@code [start, start + interval)}: impressions by treatment (every treatment) and label. */
    record Bucket(Instant start, long impressions, Map<String, Long> treatments, Map<String, Long> labels) {}

    record SdkInstance(String name, String version, String instanceId, Instant firstSeen, Instant lastSeen) {}

    /**
     * Expected versus observed assignment of the split the flag serves now.
     *
     * @param source {@code defaultServe}, {@code rule:<id>} or {@code none} (the flag serves no split here)
     * @param label the impression label of that split; only keys served by it count
     * @param arms one per treatment of the split, plus observed treatments outside it (weight 0)
     * @param srm the sample-ratio-mismatch test of DESIGN.md §5
     */
    record Allocation(String source, String label, List<Arm> arms, Srm srm) {}

    /** Users assigned (exactly one treatment in the window, served by the split) against the weight. */
    record Arm(String treatment, int weight, double expectedShare, long observedKeys, Double observedShare) {}

    /**
     * @param status OK, MISMATCH (always-valid p &lt; 0.001), NOT_ENOUGH_DATA (an arm expects fewer than 8 keys) or
     *     NO_SPLIT
     * @param pValue the always-valid p-value that decides (docs/statistics.md "Sample ratio mismatch"); null unless
     *     tested
     * @param chiSquarePValue what a single fixed-horizon χ² look would say; informative only; null unless tested
     */
    record Srm(String status, Double chiSquare, Integer degreesOfFreedom, Double pValue, Double chiSquarePValue) {}
}
