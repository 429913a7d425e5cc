package dev.dimmer.server.analysis;

import dev.dimmer.server.analysis.ExperimentReport.MetricReport;
import dev.dimmer.server.analysis.ExperimentReport.TreatmentView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * What to do with a flag, in one word and a paragraph a product manager reads, from its report (docs/statistics.md
 * "The decision"). The rule, checked in this order:
 *
 * <ol>
 *   <li>{@code INVESTIGATE}: a sample ratio mismatch, or no split (nothing randomised): no number can be trusted;
 *   <li>{@code DO_NOT_SHIP}: a guardrail is breached (significantly worse) or a confirmatory success metric is
 *       significantly worse, for some treatment; a guardrail redefined after the start (exploratory) counts here too,
 *       as it does for alerts and the automatic kill: evidence of harm is not set aside;
 *   <li>{@code SHIP}: a treatment whose confirmatory success metrics are all improved or inconclusive, at least one
 *       improved after the Bonferroni correction, and whose confirmatory guardrails are all healthy (non-inferior) —
 *       or, for a flag without confirmatory success metrics (a release), a treatment whose confirmatory guardrails are
 *       all healthy. A guardrail redefined after the start cannot vouch for a ship (loosening its margin after seeing
 *       the data must not turn a "not shown safe" into a ship);
 *   <li>{@code KEEP_RUNNING} otherwise, with the sample per arm still needed to detect the minimum detectable effect
 *       on the first confirmatory success metric (80 % power, at its corrected α).
 * </ol>
 *
 * @param outcome SHIP, DO_NOT_SHIP, KEEP_RUNNING, INVESTIGATE
 * @param treatment the treatment to ship (SHIP) or that does harm (DO_NOT_SHIP), else null
 * @param summary the paragraph
 * @param rule the rule above in one sentence, so a reader knows how the word was reached
 * @param additionalUsersPerArm KEEP_RUNNING: users per arm still needed for the minimum detectable effect, when it
 *     can be estimated; else null
 */
public record Decision(String outcome, String treatment, String summary, String rule, Long additionalUsersPerArm) {

    static final String RULE = "Ship when a treatment improves a confirmatory success metric after correction, worsens"
            + " none, and every guardrail is shown non-inferior; do not ship when a guardrail or success metric is"
            + " significantly worse; investigate on a sample ratio mismatch; otherwise keep running.";

    /** Statistical power the remaining sample is computed for. */
    static final double POWER = 0.8;

    /** The default minimum detectable effect, relative to the control's mean. */
    static final double DEFAULT_MDE = 0.05;

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    static Decision of(ExperimentReport report, double minimumDetectableEffect) {
        if (report.split() != null && !report.split().exists()) {
            return new Decision(
                    "INVESTIGATE",
                    null,
                    "This flag serves no split here, so nobody was randomised and the report cannot say whether it"
                            + " helps. Serve a split to the users you want to learn about.",
                    RULE,
                    null);
        }
        if (Boolean.FALSE.equals(report.trustworthy())) {
            return new Decision(
                    "INVESTIGATE",
                    null,
                    "The arms do not have the sizes the split promises (sample ratio mismatch), so the results cannot"
                            + " be trusted either way. Find out why users are missing from an arm before deciding.",
                    RULE,
                    null);
        }
        List<MetricReport> success = report.metrics().stream()
                .filter(m -> !m.guardrail() && !m.exploratory())
                .toList();
        List<MetricReport> guardrails =
                report.metrics().stream().filter(MetricReport::guardrail).toList();
        List<MetricReport> confirmatoryGuardrails =
                guardrails.stream().filter(g -> !g.exploratory()).toList();
        List<String> treatments = report.arms().stream()
                .filter(a -> !a.control() && a.users() > 0)
                .map(ExperimentReport.ArmView::treatment)
                .toList();
        if (treatments.isEmpty()) {
            return new Decision(
                    "KEEP_RUNNING",
                    null,
                    "There is nothing to compare yet: only the control has randomised users. Keep running.",
                    RULE,
                    null);
        }
        for (String t : treatments) {
            for (MetricReport g : guardrails) {
                TreatmentView v = view(g, t);
                if (v != null && ("BREACHED".equals(v.guardrailStatus()) || "SEVERE".equals(v.guardrailStatus()))) {
                    return new Decision(
                            "DO_NOT_SHIP",
                            t,
                            "'" + t + "' makes " + g.name() + " significantly worse (" + v.summary()
                                    + "). Do not ship it; roll it back if it is live.",
                            RULE,
                            null);
                }
            }
            for (MetricReport m : success) {
                TreatmentView v = view(m, t);
                if (v != null && "DEGRADED".equals(v.verdict())) {
                    return new Decision(
                            "DO_NOT_SHIP",
                            t,
                            "'" + t + "' makes " + m.name() + ", a goal of this experiment, significantly worse ("
                                    + v.summary() + "). Do not ship it.",
                            RULE,
                            null);
                }
            }
        }
        if (success.isEmpty() && confirmatoryGuardrails.isEmpty()) {
            return new Decision(
                    "KEEP_RUNNING",
                    null,
                    "No metric decides this flag: it has no success metric attached before its start (and not"
                            + " redefined since), and the project has no guardrail"
                            + (guardrails.isEmpty()
                                    ? ""
                                    : " defined as it was at the start (redefined ones are exploratory)")
                            + ". Attach the metrics the change is meant to move, or define guardrails, to get a"
                            + " decision.",
                    RULE,
                    null);
        }
        for (String t : treatments) {
            boolean guardrailsHealthy = confirmatoryGuardrails.stream().allMatch(g -> {
                TreatmentView v = view(g, t);
                return v != null && "HEALTHY".equals(v.guardrailStatus());
            });
            List<MetricReport> improved = success.stream()
                    .filter(m -> {
                        TreatmentView v = view(m, t);
                        return v != null && "IMPROVED".equals(v.verdict());
                    })
                    .toList();
            if (guardrailsHealthy && (success.isEmpty() || !improved.isEmpty())) {
                String why = success.isEmpty()
                        ? "No guardrail is worse: each is shown within its margin"
                        : "'" + t + "' improves "
                                + String.join(
                                        ", ",
                                        improved.stream()
                                                .map(MetricReport::name)
                                                .toList()) + " ("
                                + view(improved.get(0), t).summary() + ") and no guardrail is worse";
                return new Decision("SHIP", t, why + ". Ship '" + t + "'.", RULE, null);
            }
        }
        Long needed = success.isEmpty() ? null : additionalUsersPerArm(success.get(0), minimumDetectableEffect);
        List<String> waiting = new ArrayList<>();
        if (!success.isEmpty()) {
            waiting.add("no success metric has moved significantly yet");
        }
        if (confirmatoryGuardrails.stream()
                .anyMatch(g -> g.treatments().stream().anyMatch(v -> !"HEALTHY".equals(v.guardrailStatus())))) {
            waiting.add("not every guardrail is shown safe yet");
        }
        String sample = needed == null
                ? ""
                : needed == 0
                        ? String.format(
                                Locale.ROOT,
                                " The sample is already large enough to detect a %.0f%% change: the effect, if any,"
                                        + " is smaller.",
                                100 * minimumDetectableEffect)
                        : String.format(
                                Locale.ROOT,
                                " About %,d more users per arm are needed to detect a %.0f%% change in %s.",
                                needed,
                                100 * minimumDetectableEffect,
                                success.get(0).name());
        return new Decision(
                "KEEP_RUNNING", null, "Keep running: " + String.join(" and ", waiting) + "." + sample, RULE, needed);
    }

    /**
     * Users per arm still needed for a two-sided test at the metric's α with {@link #POWER} to detect a relative change
     * of {@code mde}, from the observed standard error (σ² ≈ SE²·n/2 with n per arm) and the control's mean.
     */
    static Long additionalUsersPerArm(MetricReport metric, double mde) {
        if (metric.treatments().isEmpty()) {
            return null;
        }
        TreatmentView v = metric.treatments().get(0);
        Double se = v.absolute() == null ? null : v.absolute().standardError();
        if (se == null || v.controlMean() == null || v.controlMean() == 0 || mde <= 0) {
            return null;
        }
        long n = Math.min(v.controlUsers(), v.treatmentUsers());
        double delta = mde * Math.abs(v.controlMean());
        double z = NORMAL.inverseCumulativeProbability(1 - v.alpha() / 2) + NORMAL.inverseCumulativeProbability(POWER);
        double required = z * z * se * se * n / (delta * delta);
        return Math.max(0, (long) Math.ceil(required) - n);
    }

    private static TreatmentView view(MetricReport metric, String treatment) {
        return metric.treatments().stream()
                .filter(v -> v.treatment().equals(treatment))
                .findFirst()
                .orElse(null);
    }
}
