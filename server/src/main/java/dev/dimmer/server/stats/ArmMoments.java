package dev.dimmer.server.stats;

/**
 * The per-unit mean and variance of one arm, the only inputs the tests need.
 *
 * @param n number of users
 * @param mean the (possibly CUPED-adjusted) mean compared between arms
 * @param variance per-user variance of that mean's estimator times n (so SE² = variance / n)
 * @param unadjustedMean the plain mean; it is what a relative lift is relative to, and what margins scale with
 */
record ArmMoments(long n, double mean, double variance, double unadjustedMean) {

    /** Moments without CUPED. */
    static ArmMoments of(Aggregation aggregation, SufficientStatistics s) {
        if (aggregation == Aggregation.AVERAGE) {
            return ratio(s);
        }
        double mean = meanY(s);
        return new ArmMoments(s.n(), mean, varianceY(aggregation, s), mean);
    }

    static double meanY(SufficientStatistics s) {
        return s.n() == 0 ? 0 : s.sumY() / s.n();
    }

    static double meanX(SufficientStatistics s) {
        return s.n() == 0 ? 0 : s.sumX() / s.n();
    }

    /** Sample variance of y; for proportions p̂(1−p̂) as in DESIGN §5 and gbstats' ProportionStatistic. */
    static double varianceY(Aggregation aggregation, SufficientStatistics s) {
        if (aggregation == Aggregation.CONVERSION) {
            double p = meanY(s);
            return p * (1 - p);
        }
        return sampleVariance(s.n(), s.sumY(), s.sumY2());
    }

    /** Variance of x; for a CONVERSION covariate (pre-period conversion, also 0/1) the proportion form. */
    static double varianceX(Aggregation aggregation, SufficientStatistics s) {
        if (aggregation == Aggregation.CONVERSION) {
            double p = meanX(s);
            return p * (1 - p);
        }
        return sampleVariance(s.n(), s.sumX(), s.sumX2());
    }

    /**
     * Cov(y, x). For two 0/1 variables gbstats uses the population form Σxy/n − x̄ȳ, matching p̂(1−p̂); otherwise
     * the unbiased sample covariance.
     */
    static double covarianceXY(Aggregation aggregation, SufficientStatistics s) {
        long n = s.n();
        if (n <= 1) {
            return 0;
        }
        if (aggregation == Aggregation.CONVERSION) {
            return s.sumXY() / n - s.sumX() * s.sumY() / ((double) n * n);
        }
        return (s.sumXY() - s.sumX() * s.sumY() / n) / (n - 1);
    }

    static double sampleVariance(long n, double sum, double sumOfSquares) {
        if (n <= 1) {
            return 0;
        }
        // Clamp: Σy² − (Σy)²/n can come out a few ulps below zero for constant data.
        return Math.max(0, (sumOfSquares - sum * sum / n) / (n - 1));
    }

    /**
     * A ratio metric Σy/Σx analysed per user with the delta method: the per-unit variance of μM/μD is vM/μD² + vD
     * μM²/μD⁴ − 2 cov(M,D) μM/μD³ (DESIGN §5; gbstats utils.variance_of_ratios).
     */
    private static ArmMoments ratio(SufficientStatistics s) {
        long n = s.n();
        if (n == 0 || s.sumX() == 0) {
            return new ArmMoments(n, 0, 0, 0);
        }
        double meanM = meanY(s);
        double meanD = meanX(s);
        double ratio = s.sumY() / s.sumX();
        double varM = sampleVariance(n, s.sumY(), s.sumY2());
        double varD = sampleVariance(n, s.sumX(), s.sumX2());
        double cov = covarianceXY(Aggregation.SUM, s);
        double variance = varM / (meanD * meanD)
                + varD * meanM * meanM / Math.pow(meanD, 4)
                - 2 * cov * meanM / Math.pow(meanD, 3);
        return new ArmMoments(n, ratio, Math.max(0, variance), ratio);
    }
}
