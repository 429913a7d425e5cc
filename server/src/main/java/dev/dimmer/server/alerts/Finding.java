package dev.dimmer.server.alerts;

import java.util.Map;

/**
 * One condition an analysis cycle found for a flag in an environment: what an alert of that (kind, metric) records.
 *
 * @param metric the guardrail metric's key, '' for SRM and no traffic
 * @param severity BREACHED or SEVERE (guardrail), MISMATCH (SRM), SILENT (no traffic)
 * @param treatment the treatment the numbers are about (the worst one for a guardrail), or null
 * @param effect guardrail: the difference treatment − control relative to the control mean (0.25 = +25 % in the
 *     metric; the absolute difference when the control mean is 0), or null
 * @param ciLower lower end of the always-valid 95 % interval of {@code effect} (the interval the status was decided
 *     on, on the same scale as the metric's margin and kill threshold)
 * @param ciUpper upper end of that interval
 * @param pValue the always-valid p-value (guardrail) or the χ² test's p (SRM)
 * @param usersPerArm users per treatment in the report
 * @param killThreshold for a SEVERE guardrail, the metric's kill threshold (relative), else null
 * @param summary one sentence a person reads
 */
record Finding(
        AlertKind kind,
        String metric,
        String severity,
        String treatment,
        Double effect,
        Double ciLower,
        Double ciUpper,
        Double pValue,
        Map<String, Long> usersPerArm,
        Double killThreshold,
        String summary) {

    Finding {
        usersPerArm = usersPerArm == null ? Map.of() : Map.copyOf(usersPerArm);
    }

    /** Severe enough for a flag with the KILL policy to be killed: the interval lies entirely beyond killThreshold. */
    boolean severe() {
        return kind == AlertKind.GUARDRAIL && "SEVERE".equals(severity);
    }
}
