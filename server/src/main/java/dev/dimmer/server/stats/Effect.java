package dev.dimmer.server.stats;

/**
 * One estimated difference between a treatment and the control, with both kinds of inference. Intervals are at the
 * level the metric was tested at (α/m for success metrics, α for guardrails; see {@link TreatmentResult#alpha()}).
 *
 * @param estimate Δ (absolute: ȳT − ȳC; relative: (ȳT − ȳC)/|ȳC|, 0.031 = +3.1 %)
 * @param standardError SE of Δ
 * @param degreesOfFreedom Welch–Satterthwaite ν
 * @param confidenceInterval fixed-horizon two-sided interval Δ ± t(1−α/2, ν)·SE; valid for a single look only
 * @param pValue fixed-horizon two-sided p-value
 * @param sequentialInterval always-valid interval; valid however often the report is looked at
 * @param sequentialPValue always-valid p-value
 */
public record Effect(
        double estimate,
        double standardError,
        double degreesOfFreedom,
        Interval confidenceInterval,
        double pValue,
        Interval sequentialInterval,
        double sequentialPValue) {

    static final Effect UNDEFINED = new Effect(
            Double.NaN, Double.NaN, Double.NaN, Interval.UNDEFINED, Double.NaN, Interval.UNDEFINED, Double.NaN);

    public boolean isDefined() {
        return !Double.isNaN(estimate) && standardError > 0;
    }

    /** The interval a decision should use: the sequential one when reports are monitored continuously. */
    public Interval interval(boolean sequential) {
        return sequential ? sequentialInterval : confidenceInterval;
    }

    public double pValue(boolean sequential) {
        return sequential ? sequentialPValue : pValue;
    }
}
