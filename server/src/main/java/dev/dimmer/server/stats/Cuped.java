package dev.dimmer.server.stats;

/**
 * CUPED (Deng, Xu, Kohavi, Walker 2013): subtract θ·x̄ from each arm's mean, where x is the pre-exposure value of
 * the same metric. Randomisation makes E[x̄T − x̄C] = 0, so the difference stays unbiased while the variance drops
 * by the share of y's variance that x explains (ρ²).
 */
final class Cuped {

    private Cuped() {}

    /**
     * θ = Cov(y, x) / Var(x) over the pooled users of both arms, as gbstats' compute_theta does: the sums of both
     * arms are added and the covariance is taken around the joint means. One θ for both arms keeps the adjustment
     * identical on each side, so the adjusted difference remains unbiased. Returns 0 (no adjustment) when x or y is
     * constant.
     */
    static double theta(Aggregation aggregation, SufficientStatistics control, SufficientStatistics treatment) {
        SufficientStatistics joint = control.plus(treatment);
        double varianceX = ArmMoments.varianceX(aggregation, joint);
        double varianceY = ArmMoments.varianceY(aggregation, joint);
        if (varianceX <= 0 || varianceY <= 0) {
            return 0;
        }
        return ArmMoments.covarianceXY(aggregation, joint) / varianceX;
    }

    /** ȳ − θx̄ with per-unit variance Var(y) + θ²Var(x) − 2θCov(y, x). */
    static ArmMoments adjust(Aggregation aggregation, SufficientStatistics s, double theta) {
        double meanY = ArmMoments.meanY(s);
        double adjustedMean = meanY - theta * ArmMoments.meanX(s);
        double variance = ArmMoments.varianceY(aggregation, s)
                + theta * theta * ArmMoments.varianceX(aggregation, s)
                - 2 * theta * ArmMoments.covarianceXY(aggregation, s);
        return new ArmMoments(s.n(), adjustedMean, Math.max(0, variance), meanY);
    }
}
