package dev.dimmer.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * Error rates checked by simulation at the sufficient-statistics level: a batch of b users with y ~ N(μ, σ²) is
 * drawn as its exact sampling distribution (ȳ ~ N(μ, σ²/b) and Σ(y−ȳ)² ~ σ²χ²(b−1), independent), so 2000
 * experiments × 40 looks cost microseconds each instead of generating millions of users.
 */
class AaSimulationTests {

    private static final int EXPERIMENTS = 2000;

    private static final double MU = 10;

    private static final double SIGMA = 5;

    private static final MetricDefinition METRIC =
            MetricDefinition.success("spend", "Spend", Aggregation.SUM, Direction.INCREASE);

    private static final Set<Verdict> SIGNIFICANT = EnumSet.of(Verdict.IMPROVED, Verdict.DEGRADED);

    /** Draws exact normal-data sufficient statistics for batches of a fixed size. */
    private static final class BatchSampler {
        private final RandomGenerator random;
        private final ChiSquaredDistribution withinSumOfSquares;
        private final int batch;

        BatchSampler(long seed, int batch) {
            this.random = new Well19937c(seed);
            this.withinSumOfSquares = new ChiSquaredDistribution(random, batch - 1);
            this.batch = batch;
        }

        SufficientStatistics draw(double mu, double sigma) {
            double mean = mu + sigma / Math.sqrt(batch) * random.nextGaussian();
            double within = sigma * sigma * withinSumOfSquares.sample();
            return SufficientStatistics.of(batch, batch * mean, within + batch * mean * mean);
        }
    }

    @Test
    void fixedHorizon_falsePositiveRateIsAlpha() {
        BatchSampler sampler = new BatchSampler(20260101L, 1000);
        ExperimentAnalyzer analyzer = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS.withSequential(false));
        int positives = 0;
        for (int e = 0; e < EXPERIMENTS; e++) {
            TreatmentResult result = analyzer.compare(
                    METRIC, new Arm("c", sampler.draw(MU, SIGMA)), new Arm("t", sampler.draw(MU, SIGMA)));
            if (SIGNIFICANT.contains(result.verdict())) {
                positives++;
            }
        }
        assertThat(positives / (double) EXPERIMENTS).isBetween(0.038, 0.063);
    }

    @Test
    void sequential_peekingAt40Looks_keepsFalsePositivesBelowAlpha_whileFixedHorizonPeekingDoesNot() {
        BatchSampler sampler = new BatchSampler(20260202L, 50);
        ExperimentAnalyzer sequential = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS);
        ExperimentAnalyzer fixed = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS.withSequential(false));
        int sequentialPositives = 0;
        int fixedPeekingPositives = 0;
        for (int e = 0; e < EXPERIMENTS; e++) {
            SufficientStatistics control = SufficientStatistics.EMPTY;
            SufficientStatistics treatment = SufficientStatistics.EMPTY;
            boolean sequentialHit = false;
            boolean fixedHit = false;
            for (int look = 0; look < 40; look++) {
                control = control.plus(sampler.draw(MU, SIGMA));
                treatment = treatment.plus(sampler.draw(MU, SIGMA));
                Arm c = new Arm("c", control);
                Arm t = new Arm("t", treatment);
                sequentialHit |=
                        SIGNIFICANT.contains(sequential.compare(METRIC, c, t).verdict());
                fixedHit |= SIGNIFICANT.contains(fixed.compare(METRIC, c, t).verdict());
            }
            sequentialPositives += sequentialHit ? 1 : 0;
            fixedPeekingPositives += fixedHit ? 1 : 0;
        }
        assertThat(sequentialPositives / (double) EXPERIMENTS).isLessThanOrEqualTo(0.0615);
        // why sequential exists: peeking at a fixed-horizon test 40 times inflates 5 % to well over 10 %
        assertThat(fixedPeekingPositives / (double) EXPERIMENTS).isGreaterThan(0.10);
    }

    /**
     * A 5 % relative lift, 2000 users per arm, σ/μ = 0.5, fixed horizon. Expected power from the normal
     * approximation with the delta-method SE at the true means: SE = √(σ²/(nμC²) + σ²μT²/(nμC⁴)) = 0.016211,
     * power = Φ(0.05/SE − 1.96) + Φ(−0.05/SE − 1.96) ≈ 0.870. 1000 runs give a binomial SD of 0.011.
     */
    @Test
    void power_plantedFivePercentLiftIsDetectedAsOftenAsExpected() {
        int n = 2000;
        double lift = 0.05;
        double muT = MU * (1 + lift);
        double se = Math.sqrt(SIGMA * SIGMA / (n * MU * MU) + SIGMA * SIGMA * muT * muT / (n * Math.pow(MU, 4)));
        NormalDistribution normal = new NormalDistribution();
        double z = normal.inverseCumulativeProbability(0.975);
        double expectedPower =
                normal.cumulativeProbability(lift / se - z) + normal.cumulativeProbability(-lift / se - z);
        assertThat(expectedPower).isCloseTo(0.870, within(0.005));

        BatchSampler sampler = new BatchSampler(20260303L, n);
        ExperimentAnalyzer analyzer = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS.withSequential(false));
        int runs = 1000;
        int improved = 0;
        for (int e = 0; e < runs; e++) {
            TreatmentResult result = analyzer.compare(
                    METRIC, new Arm("c", sampler.draw(MU, SIGMA)), new Arm("t", sampler.draw(muT, SIGMA)));
            if (result.verdict() == Verdict.IMPROVED) {
                improved++;
            }
        }
        assertThat(improved / (double) runs).isCloseTo(expectedPower, within(0.035));
    }
}
