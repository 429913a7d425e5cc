package dev.dimmer.server.stats;

import static dev.dimmer.server.stats.Fixtures.arm;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExperimentAnalyzerTests {

    private static final MetricDefinition SPEND =
            MetricDefinition.success("spend", "Spend per user", Aggregation.SUM, Direction.INCREASE);

    private static final MetricDefinition CHECKOUT =
            MetricDefinition.success("checkout", "Checkout conversion", Aggregation.CONVERSION, Direction.INCREASE);

    private static final AnalysisOptions FIXED = AnalysisOptions.DEFAULTS.withSequential(false);

    private static TreatmentResult compare(
            AnalysisOptions options, MetricDefinition metric, SufficientStatistics c, SufficientStatistics t) {
        return new ExperimentAnalyzer(options).compare(metric, new Arm("control", c), new Arm("green", t));
    }

    // --- verdict gating -------------------------------------------------------------------------------------

    @Test
    void verdict_notEnoughDataBelow100UsersPerArm_evenWithAHugeEffect() {
        TreatmentResult result = compare(FIXED, SPEND, arm(99, 10, 1), arm(5000, 20, 1));

        assertThat(result.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(result.relative().pValue()).isLessThan(1e-10); // still computed and reported
        assertThat(result.summary())
                .isEqualTo("Spend per user in green: not enough data yet (needs 100 users per arm; smallest arm has"
                        + " 99 users).");
    }

    @Test
    void verdict_givenFrom100UsersPerArm() {
        assertThat(compare(FIXED, SPEND, arm(100, 10, 1), arm(100, 20, 1)).verdict())
                .isEqualTo(Verdict.IMPROVED);
    }

    @Test
    void verdict_conversionNeeds25ConversionsPerArm() {
        SufficientStatistics control24 = SufficientStatistics.conversions(1000, 24);
        SufficientStatistics control25 = SufficientStatistics.conversions(1000, 25);
        SufficientStatistics treatment = SufficientStatistics.conversions(1000, 200);

        assertThat(compare(FIXED, CHECKOUT, control24, treatment).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(compare(FIXED, CHECKOUT, control25, treatment).verdict()).isEqualTo(Verdict.IMPROVED);
    }

    @Test
    void verdict_respectsDirection() {
        MetricDefinition latency =
                MetricDefinition.success("latency", "Page load time", Aggregation.SUM, Direction.DECREASE);

        assertThat(compare(FIXED, latency, arm(1000, 10, 4), arm(1000, 9, 4)).verdict())
                .isEqualTo(Verdict.IMPROVED);
        assertThat(compare(FIXED, latency, arm(1000, 10, 4), arm(1000, 11, 4)).verdict())
                .isEqualTo(Verdict.DEGRADED);
        assertThat(compare(FIXED, SPEND, arm(1000, 10, 4), arm(1000, 9, 4)).verdict())
                .isEqualTo(Verdict.DEGRADED);
        assertThat(compare(FIXED, SPEND, arm(1000, 10, 4), arm(1000, 10.01, 4)).verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void verdict_noVarianceMeansNotEnoughData() {
        assertThat(compare(FIXED, SPEND, arm(1000, 10, 0), arm(1000, 10, 0)).verdict())
                .isEqualTo(Verdict.NOT_ENOUGH_DATA);
    }

    @Test
    void sequentialAndFixedVerdictsAgreeWithTheirPValues() {
        TreatmentResult sequential = compare(AnalysisOptions.DEFAULTS, SPEND, arm(2000, 10, 25), arm(2000, 10.35, 25));
        TreatmentResult fixed = compare(FIXED, SPEND, arm(2000, 10, 25), arm(2000, 10.35, 25));

        // p ≈ 0.03: significant at one look, not with always-valid inference
        assertThat(fixed.decisionPValue()).isBetween(0.0125, 0.05);
        assertThat(fixed.verdict()).isEqualTo(Verdict.IMPROVED);
        assertThat(sequential.decisionPValue()).isGreaterThan(0.05);
        assertThat(sequential.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(sequential.decisionInterval())
                .isEqualTo(sequential.relative().sequentialInterval());
    }

    // --- Bonferroni -----------------------------------------------------------------------------------------

    @Test
    void bonferroni_testsSuccessMetricsAtAlphaOverM() {
        AnalysisOptions corrected = FIXED.withBonferroni(2, 2); // 2 success metrics × 2 treatments → α/4
        TreatmentResult result = compare(corrected, SPEND, arm(2000, 10, 25), arm(2000, 10.35, 25));

        assertThat(result.alpha()).isEqualTo(0.0125);
        assertThat(result.relative().pValue()).isBetween(0.0125, 0.05);
        assertThat(result.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(result.summary()).contains("(98.75% CI ");
        // the corrected interval is wider than the uncorrected one
        TreatmentResult uncorrected = compare(FIXED, SPEND, arm(2000, 10, 25), arm(2000, 10.35, 25));
        assertThat(result.relative().confidenceInterval().lower())
                .isLessThan(uncorrected.relative().confidenceInterval().lower());
    }

    @Test
    void bonferroni_doesNotApplyToGuardrails() {
        MetricDefinition guardrail =
                MetricDefinition.guardrail("errors", "Errors", Aggregation.SUM, Direction.DECREASE, 0.02, null);
        AnalysisOptions corrected = FIXED.withBonferroni(5, 3);

        assertThat(corrected.successComparisons()).isEqualTo(15);
        assertThat(compare(corrected, guardrail, arm(500, 1, 1), arm(500, 1, 1)).alpha())
                .isEqualTo(0.05);
        assertThat(compare(corrected, SPEND, arm(500, 1, 1), arm(500, 1, 1)).alpha())
                .isEqualTo(0.05 / 15);
    }

    // --- guardrails ------------------------------------------------------------------------------------------
    // control mean 100, sd 10; margin 2 % (m = 2), kill threshold 10 % (k = 10). With 10 000 users per arm
    // SE = 0.141 and the always-valid half-width (N* = 10 000, n = 20 000) is 3.06·SE = 0.43.

    private static final MetricDefinition REVENUE_GUARDRAIL =
            MetricDefinition.guardrail("revenue", "Revenue per user", Aggregation.SUM, Direction.INCREASE, 0.02, 0.10);

    private static GuardrailStatus guardrail(AnalysisOptions options, MetricDefinition metric, long n, double mean) {
        return compare(options, metric, arm(n, 100, 100), arm(n, mean, 100)).guardrailStatus();
    }

    @Test
    void guardrail_healthyWhenNonInferiorityIsShown() {
        assertThat(guardrail(AnalysisOptions.DEFAULTS, REVENUE_GUARDRAIL, 10_000, 100))
                .isEqualTo(GuardrailStatus.HEALTHY);
    }

    @Test
    void guardrail_atRiskWhenNeitherNonInferiorNorBreached() {
        // 400 per arm: interval ≈ −0.5 ± 2.9 contains 0, and its lower end is below −2
        assertThat(guardrail(AnalysisOptions.DEFAULTS, REVENUE_GUARDRAIL, 400, 99.5))
                .isEqualTo(GuardrailStatus.AT_RISK);
    }

    @Test
    void guardrail_breachedWhenTheAlwaysValidIntervalIsBelowZero() {
        // −1.7 ± 0.43 lies below 0 but not below −10
        assertThat(guardrail(AnalysisOptions.DEFAULTS, REVENUE_GUARDRAIL, 10_000, 98.3))
                .isEqualTo(GuardrailStatus.BREACHED);
    }

    @Test
    void guardrail_severeWhenBelowTheKillThreshold() {
        assertThat(guardrail(AnalysisOptions.DEFAULTS, REVENUE_GUARDRAIL, 10_000, 85))
                .isEqualTo(GuardrailStatus.SEVERE);
        MetricDefinition noKill = MetricDefinition.guardrail(
                "revenue", "Revenue per user", Aggregation.SUM, Direction.INCREASE, 0.02, null);
        assertThat(guardrail(AnalysisOptions.DEFAULTS, noKill, 10_000, 85)).isEqualTo(GuardrailStatus.BREACHED);
    }

    @Test
    void guardrail_decreaseDirectionFlipsTheSign() {
        MetricDefinition latency = MetricDefinition.guardrail(
                "latency", "Page load time", Aggregation.SUM, Direction.DECREASE, 0.02, 0.10);

        assertThat(guardrail(AnalysisOptions.DEFAULTS, latency, 10_000, 101.7)).isEqualTo(GuardrailStatus.BREACHED);
        assertThat(guardrail(AnalysisOptions.DEFAULTS, latency, 10_000, 98.3)).isEqualTo(GuardrailStatus.HEALTHY);
        assertThat(guardrail(AnalysisOptions.DEFAULTS, latency, 10_000, 115)).isEqualTo(GuardrailStatus.SEVERE);
    }

    @Test
    void guardrail_breachAlwaysUsesTheAlwaysValidInterval_nonInferiorityTheFixedOneSidedBoundInFixedMode() {
        // Δ = −1 ± 0.43 (always valid) is below 0 → breached even in fixed mode
        assertThat(guardrail(FIXED, REVENUE_GUARDRAIL, 10_000, 99)).isEqualTo(GuardrailStatus.BREACHED);
        // Δ = −0.3: always-valid interval contains 0; fixed one-sided bound −0.3 − 1.645·0.141 = −0.53 > −2
        assertThat(guardrail(FIXED, REVENUE_GUARDRAIL, 10_000, 99.7)).isEqualTo(GuardrailStatus.HEALTHY);
    }

    @Test
    void guardrail_notEnoughDataAndNotApplicable() {
        assertThat(guardrail(AnalysisOptions.DEFAULTS, REVENUE_GUARDRAIL, 99, 50))
                .isEqualTo(GuardrailStatus.NOT_ENOUGH_DATA);
        assertThat(compare(AnalysisOptions.DEFAULTS, SPEND, arm(500, 1, 1), arm(500, 1, 1))
                        .guardrailStatus())
                .isEqualTo(GuardrailStatus.NOT_APPLICABLE);
    }

    // --- summary sentences ------------------------------------------------------------------------------------

    @Test
    void summary_relativeLiftWithIntervalAndVerdict() {
        TreatmentResult result = compare(
                FIXED,
                CHECKOUT,
                SufficientStatistics.conversions(20_000, 2_000),
                SufficientStatistics.conversions(20_000, 2_300));

        assertThat(result.summary())
                .isEqualTo("Checkout conversion rose 15.0% in green (95% CI 8.5% to 21.5%): improved.");
    }

    @Test
    void summary_fallWithDecreaseMetricIsAnImprovement() {
        MetricDefinition latency =
                MetricDefinition.success("latency", "Page load time", Aggregation.SUM, Direction.DECREASE);
        TreatmentResult result = compare(FIXED, latency, arm(1000, 10, 4), arm(1000, 9.5, 4));

        assertThat(result.summary()).isEqualTo("Page load time fell 5.0% in green (95% CI -6.7% to -3.3%): improved.");
    }

    @Test
    void summary_guardrailStatusAndSmallLifts() {
        TreatmentResult result =
                compare(AnalysisOptions.DEFAULTS, REVENUE_GUARDRAIL, arm(10_000, 100, 100), arm(10_000, 100.05, 100));

        assertThat(result.summary())
                .isEqualTo("Revenue per user rose 0.05% in green (95% CI -0.38% to 0.48%): inconclusive;"
                        + " guardrail healthy.");
    }

    @Test
    void summary_absoluteWhenTheControlMeanIsZero() {
        TreatmentResult result = compare(FIXED, SPEND, arm(1000, 0, 4), arm(1000, 0.5, 4));

        assertThat(result.headlineIsRelative()).isFalse();
        assertThat(result.summary()).startsWith("Spend per user rose by 0.5 in green (95% CI 0.");
        assertThat(result.summary()).endsWith("): improved.");
    }
}
