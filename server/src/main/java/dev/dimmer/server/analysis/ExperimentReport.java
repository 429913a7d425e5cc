package dev.dimmer.server.analysis;

import dev.dimmer.server.stats.Effect;
import dev.dimmer.server.stats.GuardrailStatus;
import dev.dimmer.server.stats.Interval;
import dev.dimmer.server.stats.TreatmentResult;
import java.time.Instant;
import java.util.List;

/**
 * A flag's experiment report in one environment, as the API returns it and as the analysis job stores it. Numbers that
 * cannot be computed (no variance, empty control) are null, never NaN.
 *
 * @param computedAt when the numbers were computed
 * @param window exposures and events considered: from the flag's first exposure here to {@code computedAt}
 * @param control the treatment every other is compared against
 * @param message a plain-language note when there is nothing to analyse yet (no exposure), else null
 * @param arms every treatment seen (control first) with its assigned users
 * @param excludedMultiTreatmentUsers users exposed to more than one treatment, left out of every arm
 * @param srm the sample-ratio-mismatch check of the arms against the configured split
 * @param metrics confirmatory success metrics, then exploratory ones, then guardrails
 * @param split the randomisation compared (docs/statistics.md "Which users are compared"); null in reports stored before
 *     it was recorded
 * @param notRandomisedUsers users exposed to one treatment whose first exposure did not come from {@code split} (a
 *     fixed rule, a prerequisite, the off treatment outside the traffic allocation, a kill): counted, never compared;
 *     null in reports stored before it was recorded
 * @param trustworthy false when a sample ratio mismatch withholds every verdict; null in older reports
 * @param decision what to do, in plain words, and the rule that produced it; null in older reports
 * @param effectOverTime per metric and treatment, the cumulative result as of the end of each day of the experiment
 *     (the day's last stored analysis), so a chart can show the effect converging; null where not read
 * @param metricChanges every metric of this experiment redefined or removed after its start here, with what changed,
 *     who did it and when (docs/statistics.md "Metric versions"), oldest first; null in older reports
 */
public record ExperimentReport(
        String project,
        String environment,
        String flag,
        Instant computedAt,
        Window window,
        String control,
        String message,
        List<ArmView> arms,
        long excludedMultiTreatmentUsers,
        Srm srm,
        List<MetricReport> metrics,
        ExperimentSplit split,
        Long notRandomisedUsers,
        Boolean trustworthy,
        Decision decision,
        List<EffectOverTime> effectOverTime,
        List<MetricChange> metricChanges) {

    /** The same report with other metric sections (stored runs keep their rows apart from the header). */
    ExperimentReport withMetrics(List<MetricReport> replaced) {
        return copy(replaced, decision, effectOverTime);
    }

    /** The same report with its decision. */
    ExperimentReport withDecision(Decision made) {
        return copy(metrics, made, effectOverTime);
    }

    /** The same report with its effect over time. */
    ExperimentReport withEffectOverTime(List<EffectOverTime> series) {
        return copy(metrics, decision, series);
    }

    /** The parts a report gains after it is computed or read back; everything else is what the analysis found. */
    private ExperimentReport copy(List<MetricReport> metrics, Decision decision, List<EffectOverTime> effectOverTime) {
        return new ExperimentReport(
                project,
                environment,
                flag,
                computedAt,
                window,
                control,
                message,
                arms,
                excludedMultiTreatmentUsers,
                srm,
                metrics,
                split,
                notRandomisedUsers,
                trustworthy,
                decision,
                effectOverTime,
                metricChanges);
    }

    /**
     * A metric of this experiment changed after its start (the flag's first exposure here).
     *
     * @param change REDEFINED (a new version of its definition) or REMOVED (detached from the flag, archived, or no
     *     longer a guardrail: see {@code reason})
     * @param fromVersion the definition's version before the change
     * @param toVersion the new version (REDEFINED), else null
     * @param fields what changed, old → new (REDEFINED), else empty
     * @param changedBy who made the change (as the audit log names them)
     */
    public record MetricChange(
            String metric,
            String name,
            String change,
            Integer fromVersion,
            Integer toVersion,
            List<DefinitionChange> fields,
            String reason,
            String changedBy,
            Instant changedAt) {}

    /** One field of a metric's definition, before and after a change, as text. */
    public record DefinitionChange(String field, String from, String to) {}

    /**
     * One metric's comparison of one treatment, day by day.
     *
     * @param days oldest first; a day without a new analysis (nothing changed) has no point
     */
    public record EffectOverTime(String metric, String treatment, List<DailyEffect> days) {}

    /** The cumulative comparison as the day's last analysis computed it. */
    public record DailyEffect(java.time.LocalDate day, Instant computedAt, TreatmentView result) {}

    public record Window(Instant from, Instant to) {}

    /**
     * @param users the arm's randomised users: those the comparison and SRM count
     * @param expectedShare the configured share of the arm among the arms compared by SRM (null: not in the split)
     * @param notRandomised users served this treatment by something other than the split (never compared); null in
     *     reports stored before it was recorded
     */
    public record ArmView(String treatment, boolean control, long users, Double expectedShare, Long notRandomised) {}

    /**
     * @param pValue the always-valid p-value that decides (docs/statistics.md "Sample ratio mismatch")
     * @param chiSquarePValue what a single fixed-horizon χ² look would say; informative only (null in older reports)
     * @param mismatch always-valid p < 0.001: the report is untrustworthy
     * @param status OK, MISMATCH, NOT_ENOUGH_DATA, or NO_SPLIT when the flag serves no split (nothing randomised)
     * @param weights the split the expected weights came from: {@code defaultServe}, {@code rule:<id>}, or {@code none}
     *     ({@code equal} in reports stored before splits were chosen)
     */
    public record Srm(
            String status,
            Double pValue,
            Double chiSquare,
            Double chiSquarePValue,
            int degreesOfFreedom,
            boolean mismatch,
            String weights) {}

    /**
     * @param exploratory a success metric attached after the flag's first exposure here ("added after start"), or a
     *     metric redefined after it ({@code redefinedAfterStart}): not confirmatory. Not in the Bonferroni family; an
     *     exploratory success metric never decides, an exploratory guardrail can stop a ship but not clear one
     *     (docs/statistics.md "Metric versions")
     * @param definitionVersion the version of the metric's definition analysed; null in older reports
     * @param startVersion when the metric was redefined after the start (even if reverted since), the version it had
     *     at the start (the confirmatory question), else null
     * @param redefinedAfterStart the definition analysed differs from the one the experiment started with; null in
     *     older reports
     * @param summary one sentence per treatment, joined
     */
    public record MetricReport(
            String key,
            String name,
            String eventType,
            String aggregation,
            String direction,
            boolean guardrail,
            boolean exploratory,
            Instant addedAt,
            Integer definitionVersion,
            Integer startVersion,
            Boolean redefinedAfterStart,
            String summary,
            List<TreatmentView> treatments) {

        MetricReport withTreatments(List<TreatmentView> views) {
            String joined =
                    String.join(" ", views.stream().map(TreatmentView::summary).toList());
            return new MetricReport(
                    key,
                    name,
                    eventType,
                    aggregation,
                    direction,
                    guardrail,
                    exploratory,
                    addedAt,
                    definitionVersion,
                    startVersion,
                    redefinedAfterStart,
                    joined.isEmpty() ? summary : joined,
                    views);
        }
    }

    /**
     * One treatment against the control for one metric.
     *
     * @param absoluteLift treatment mean − control mean (CUPED-adjusted when θ ≠ 0)
     * @param relativeLift absolute lift / |control mean| (0.1 = +10 %)
     * @param alpha the level tested at (α/m for confirmatory success metrics)
     * @param verdict IMPROVED, DEGRADED, INCONCLUSIVE, NOT_ENOUGH_DATA
     * @param guardrailStatus HEALTHY, AT_RISK, BREACHED, SEVERE, NOT_ENOUGH_DATA; null for success metrics
     */
    public record TreatmentView(
            String treatment,
            long controlUsers,
            long treatmentUsers,
            Double controlMean,
            Double treatmentMean,
            Double absoluteLift,
            Double relativeLift,
            EffectView absolute,
            EffectView relative,
            double alpha,
            boolean sequential,
            String verdict,
            String guardrailStatus,
            Double cupedTheta,
            String summary) {

        static TreatmentView of(TreatmentResult r) {
            return new TreatmentView(
                    r.treatment(),
                    r.controlUsers(),
                    r.treatmentUsers(),
                    finite(r.controlMean()),
                    finite(r.treatmentMean()),
                    finite(r.absolute().estimate()),
                    finite(r.relative().estimate()),
                    EffectView.of(r.absolute()),
                    EffectView.of(r.relative()),
                    r.alpha(),
                    r.sequential(),
                    r.verdict().name(),
                    r.guardrailStatus() == GuardrailStatus.NOT_APPLICABLE
                            ? null
                            : r.guardrailStatus().name(),
                    r.cupedTheta(),
                    r.summary());
        }
    }

    /** An {@link Effect} with fixed-horizon and sequential inference. */
    public record EffectView(
            Double estimate,
            Double standardError,
            Bounds confidenceInterval,
            Double pValue,
            Bounds sequentialInterval,
            Double sequentialPValue) {

        static EffectView of(Effect e) {
            return new EffectView(
                    finite(e.estimate()),
                    finite(e.standardError()),
                    Bounds.of(e.confidenceInterval()),
                    finite(e.pValue()),
                    Bounds.of(e.sequentialInterval()),
                    finite(e.sequentialPValue()));
        }
    }

    public record Bounds(Double lower, Double upper) {

        static Bounds of(Interval i) {
            return new Bounds(finite(i.lower()), finite(i.upper()));
        }
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
