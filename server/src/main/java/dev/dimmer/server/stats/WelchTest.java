package dev.dimmer.server.stats;

/**
 * Welch's unequal-variance t-test on the absolute and the relative difference of two arms (DESIGN §5, matching
 * gbstats' TwoSidedTTest and SequentialTwoSidedTTest).
 */
final class WelchTest {

    private WelchTest() {}

    /** Welch–Satterthwaite ν from the per-arm variances; also used for the relative difference, as gbstats does. */
    static double degreesOfFreedom(ArmMoments control, ArmMoments treatment) {
        double c = control.variance() / control.n();
        double t = treatment.variance() / treatment.n();
        return (c + t) * (c + t) / (c * c / (control.n() - 1) + t * t / (treatment.n() - 1));
    }

    /** Δ = ȳT − ȳC, SE² = vT/nT + vC/nC. */
    static Effect absolute(ArmMoments control, ArmMoments treatment, double alpha, double tuning) {
        if (!testable(control, treatment)) {
            return Effect.UNDEFINED;
        }
        double estimate = treatment.mean() - control.mean();
        double variance = treatment.variance() / treatment.n() + control.variance() / control.n();
        return effect(estimate, Math.sqrt(variance), control, treatment, alpha, tuning);
    }

    /**
     * Δ = (ȳT − ȳC)/|ȳC| with the delta-method SE² = vT/(nT ȳC²) + vC ȳT²/(nC ȳC⁴). With CUPED the numerator uses
     * the adjusted means but ȳC and ȳT in the scale and the SE are the unadjusted means (gbstats convention: the
     * lift is relative to what the control actually measured).
     */
    static Effect relative(ArmMoments control, ArmMoments treatment, double alpha, double tuning) {
        double baseline = control.unadjustedMean();
        if (!testable(control, treatment) || baseline == 0) {
            return Effect.UNDEFINED;
        }
        double scale = Math.abs(baseline);
        double estimate = (treatment.mean() - control.mean()) / scale;
        double meanT = treatment.unadjustedMean();
        double variance = treatment.variance() / (treatment.n() * baseline * baseline)
                + control.variance() * meanT * meanT / (control.n() * Math.pow(baseline, 4));
        return effect(estimate, Math.sqrt(variance), control, treatment, alpha, tuning);
    }

    /**
     * The fixed-horizon one-sided (1−α) lower bound of d·Δ, d·Δ − t(1−α, ν)·SE, used for non-inferiority (gbstats'
     * OneSidedTreatmentGreaterTTest for d = +1).
     */
    static double oneSidedLowerBound(Effect effect, int sign, double alpha) {
        return sign * effect.estimate()
                - StudentT.quantile(1 - alpha, effect.degreesOfFreedom()) * effect.standardError();
    }

    private static boolean testable(ArmMoments control, ArmMoments treatment) {
        return control.n() > 1 && treatment.n() > 1 && (control.variance() > 0 || treatment.variance() > 0);
    }

    private static Effect effect(
            double estimate,
            double standardError,
            ArmMoments control,
            ArmMoments treatment,
            double alpha,
            double tuning) {
        double df = degreesOfFreedom(control, treatment);
        double halfWidth = StudentT.quantile(1 - alpha / 2, df) * standardError;
        double p = StudentT.twoSidedP(estimate / standardError, df);
        long totalN = control.n() + treatment.n();
        Interval sequential = Interval.around(estimate, AlwaysValid.halfWidth(standardError, totalN, alpha, tuning));
        double sequentialP = AlwaysValid.pValue(estimate, standardError, totalN, alpha, tuning);
        return new Effect(
                estimate, standardError, df, Interval.around(estimate, halfWidth), p, sequential, sequentialP);
    }
}
