package dev.dimmer.server.stats;

/**
 * The comparison of one treatment with the control for one metric.
 *
 * @param treatment the treatment key
 * @param controlUsers users in the control arm
 * @param treatmentUsers users in the treatment arm
 * @param controlMean the control's plain (unadjusted) metric value
 * @param treatmentMean the treatment's plain (unadjusted) metric value
 * @param cupedTheta θ used for CUPED, 0 when CUPED was off or could not help
 * @param absolute Δ = treatment − control in the metric's unit (CUPED-adjusted when θ ≠ 0)
 * @param relative Δ / |control mean|; undefined (NaN) when the control mean is 0
 * @param alpha the level this comparison was tested at: α/m for success metrics (Bonferroni), α for guardrails
 * @param sequential whether the verdict used the always-valid intervals (true) or the fixed-horizon ones
 * @param verdict improved / degraded / inconclusive / not enough data
 * @param guardrailStatus {@link GuardrailStatus#NOT_APPLICABLE} for success metrics
 * @param summary one plain-language sentence for the report
 */
public record TreatmentResult(
        String treatment,
        long controlUsers,
        long treatmentUsers,
        double controlMean,
        double treatmentMean,
        double cupedTheta,
        Effect absolute,
        Effect relative,
        double alpha,
        boolean sequential,
        Verdict verdict,
        GuardrailStatus guardrailStatus,
        String summary) {

    /** The effect the verdict and summary are based on: relative when defined, absolute otherwise. */
    public Effect headline() {
        return relative.isDefined() ? relative : absolute;
    }

    /** Whether {@link #headline()} is the relative effect. */
    public boolean headlineIsRelative() {
        return relative.isDefined();
    }

    /** The interval the verdict used. */
    public Interval decisionInterval() {
        return headline().interval(sequential);
    }

    /** The p-value matching {@link #decisionInterval()}. */
    public double decisionPValue() {
        return headline().pValue(sequential);
    }
}
