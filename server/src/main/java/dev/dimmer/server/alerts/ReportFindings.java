package dev.dimmer.server.alerts;

import dev.dimmer.server.analysis.ExperimentReport;
import dev.dimmer.server.analysis.ExperimentReport.EffectView;
import dev.dimmer.server.analysis.ExperimentReport.MetricReport;
import dev.dimmer.server.analysis.ExperimentReport.TreatmentView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the conditions an alert is about from a stored experiment report, never recomputing anything: an alert quotes
 * the numbers the report shows. A guardrail is a finding when its status for some treatment is BREACHED (the
 * always-valid interval of the degradation lies entirely on the worse side of 0) or SEVERE (entirely beyond the
 * metric's kill threshold); SRM when the report marks a mismatch (p &lt; 0.001).
 */
final class ReportFindings {

    private ReportFindings() {}

    /**
     * @param killThresholds the project's guardrail metrics' kill thresholds by key (relative; absent: none)
     */
    static Judgement of(ExperimentReport report, Map<String, Double> killThresholds) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Long> users = new LinkedHashMap<>();
        if (report.arms() != null) {
            report.arms().forEach(arm -> users.put(arm.treatment(), arm.users()));
        }
        if (report.srm() != null && report.srm().mismatch()) {
            findings.add(new Finding(
                    AlertKind.SRM,
                    "",
                    "MISMATCH",
                    null,
                    null,
                    null,
                    null,
                    report.srm().pValue(),
                    users,
                    null,
                    String.format(
                            Locale.ROOT,
                            "Sample ratio mismatch: the arms' sizes %s do not match the configured split (χ² p = %.3g);"
                                    + " assignment or impression logging is broken and the report cannot be trusted.",
                            users,
                            report.srm().pValue())));
            // An untrustworthy report has no verdicts: guardrail alerts are held as they are, not cleared.
            return new Judgement(findings, java.util.Set.of(AlertKind.GUARDRAIL));
        }
        for (MetricReport metric : report.metrics() == null ? List.<MetricReport>of() : report.metrics()) {
            if (!metric.guardrail() || metric.treatments() == null) {
                continue;
            }
            worst(metric).ifPresent(t -> findings.add(guardrail(metric, t, report.control(), users, killThresholds)));
        }
        return new Judgement(findings, java.util.Set.of());
    }

    private static Optional<TreatmentView> worst(MetricReport metric) {
        return metric.treatments().stream()
                .filter(t -> "BREACHED".equals(t.guardrailStatus()) || "SEVERE".equals(t.guardrailStatus()))
                .max(Comparator.comparing((TreatmentView t) -> "SEVERE".equals(t.guardrailStatus()))
                        .thenComparing(t -> t.relativeLift() == null ? 0 : Math.abs(t.relativeLift())));
    }

    private static Finding guardrail(
            MetricReport metric,
            TreatmentView t,
            String control,
            Map<String, Long> users,
            Map<String, Double> killThresholds) {
        // The numbers the status was decided on (GuardrailRule): the absolute difference and its always-valid interval,
        // shown relative to the control mean (the scale the margin and kill threshold are given in) when it is not 0.
        EffectView effect = t.absolute();
        boolean relative = t.controlMean() != null && t.controlMean() != 0;
        double scale = relative ? Math.abs(t.controlMean()) : 1;
        Double estimate = divide(effect.estimate(), scale);
        Double lower = effect.sequentialInterval() == null
                ? null
                : divide(effect.sequentialInterval().lower(), scale);
        Double upper = effect.sequentialInterval() == null
                ? null
                : divide(effect.sequentialInterval().upper(), scale);
        Map<String, Long> arms = new LinkedHashMap<>();
        arms.put(control, t.controlUsers());
        arms.put(t.treatment(), t.treatmentUsers());
        users.forEach(arms::putIfAbsent);
        boolean severe = "SEVERE".equals(t.guardrailStatus());
        Double killThreshold = severe ? killThresholds.get(metric.key()) : null;
        String summary = String.format(
                Locale.ROOT,
                "Guardrail %s (%s) is %s with '%s': %s %s vs control '%s' (always-valid 95%% CI %s to %s,"
                        + " p = %.3g; %d vs %d users)%s.",
                metric.key(),
                metric.name(),
                severe ? "severely worse" : "significantly worse",
                t.treatment(),
                format(estimate, relative),
                relative ? "relative change" : "absolute change",
                control,
                format(lower, relative),
                format(upper, relative),
                effect.sequentialPValue() == null ? Double.NaN : effect.sequentialPValue(),
                t.treatmentUsers(),
                t.controlUsers(),
                killThreshold == null
                        ? ""
                        : String.format(Locale.ROOT, ", beyond its kill threshold of %.0f%%", killThreshold * 100));
        return new Finding(
                AlertKind.GUARDRAIL,
                metric.key(),
                t.guardrailStatus(),
                t.treatment(),
                estimate,
                lower,
                upper,
                effect.sequentialPValue(),
                arms,
                killThreshold,
                summary);
    }

    private static Double divide(Double value, double scale) {
        return value == null ? null : value / scale;
    }

    static String format(Double value, boolean relative) {
        if (value == null) {
            return "n/a";
        }
        return relative
                ? String.format(Locale.ROOT, "%+.1f%%", value * 100)
                : String.format(Locale.ROOT, "%+.4g", value);
    }
}
