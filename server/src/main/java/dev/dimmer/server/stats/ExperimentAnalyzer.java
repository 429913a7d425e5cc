package dev.dimmer.server.stats;

import java.util.List;
import java.util.Objects;

/**
 * The statistics engine's entry point: compares each treatment with the control for one metric, given only the
 * arms' {@link SufficientStatistics}. Pure computation: no I/O, no state besides the options, safe to share across
 * threads.
 *
 * <p>For each treatment it computes (DESIGN §5, see docs/statistics.md):
 *
 * <ol>
 *   <li>per-arm mean and per-user variance (delta method for AVERAGE, p̂(1−p̂) for CONVERSION), CUPED-adjusted
 *       with a pooled θ when the metric asks for it;
 *   <li>absolute and relative differences with Welch fixed-horizon and always-valid intervals and p-values, at
 *       α/m for success metrics (Bonferroni) and α for guardrails;
 *   <li>the verdict (no verdict below 100 users, or 25 conversions, per arm), the guardrail status and a summary
 *       sentence.
 * </ol>
 *
 * <p>Typical use by the analysis job, once per metric:
 *
 * <pre>{@code
 * var analyzer = new ExperimentAnalyzer(AnalysisOptions.DEFAULTS.withBonferroni(successMetrics, treatments));
 * MetricResult result = analyzer.analyze(metric, new Arm("off", controlStats), List.of(new Arm("on", onStats)));
 * }</pre>
 */
public final class ExperimentAnalyzer {

    /** No verdict below this many users in either arm. */
    public static final long MIN_USERS_PER_ARM = MinimumSample.USERS_PER_ARM;

    /** No verdict for CONVERSION metrics below this many converted users in either arm. */
    public static final long MIN_CONVERSIONS_PER_ARM = MinimumSample.CONVERSIONS_PER_ARM;

    private final AnalysisOptions options;

    public ExperimentAnalyzer(AnalysisOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public AnalysisOptions options() {
        return options;
    }

    /** Every treatment against the control, for one metric. */
    public MetricResult analyze(MetricDefinition metric, Arm control, List<Arm> treatments) {
        List<TreatmentResult> results = treatments.stream()
                .map(treatment -> compare(metric, control, treatment))
                .toList();
        ArmMoments controlMoments = ArmMoments.of(metric.aggregation(), control.statistics());
        return new MetricResult(
                metric, control.treatment(), control.statistics().n(), controlMoments.unadjustedMean(), results);
    }

    /** One treatment against the control, for one metric. */
    public TreatmentResult compare(MetricDefinition metric, Arm control, Arm treatment) {
        Aggregation aggregation = metric.aggregation();
        SufficientStatistics c = control.statistics();
        SufficientStatistics t = treatment.statistics();

        double theta = cupedTheta(metric, c, t);
        ArmMoments controlMoments = theta == 0 ? ArmMoments.of(aggregation, c) : Cuped.adjust(aggregation, c, theta);
        ArmMoments treatmentMoments = theta == 0 ? ArmMoments.of(aggregation, t) : Cuped.adjust(aggregation, t, theta);

        double alpha = options.alphaFor(metric);
        double tuning = options.sequentialTuning();
        Effect absolute = WelchTest.absolute(controlMoments, treatmentMoments, alpha, tuning);
        Effect relative = WelchTest.relative(controlMoments, treatmentMoments, alpha, tuning);
        Effect headline = relative.isDefined() ? relative : absolute;

        boolean enoughData = MinimumSample.reached(aggregation, c) && MinimumSample.reached(aggregation, t);
        boolean sequential = options.sequential();
        Verdict verdict = VerdictRule.decide(enoughData, headline, sequential, metric.direction());
        GuardrailStatus guardrail =
                GuardrailRule.assess(metric, enoughData, absolute, controlMoments.unadjustedMean(), alpha, sequential);
        String summary = SummarySentence.write(
                metric,
                treatment.treatment(),
                Math.min(c.n(), t.n()),
                headline,
                relative.isDefined(),
                sequential,
                alpha,
                verdict,
                guardrail);
        return new TreatmentResult(
                treatment.treatment(),
                c.n(),
                t.n(),
                controlMoments.unadjustedMean(),
                treatmentMoments.unadjustedMean(),
                theta,
                absolute,
                relative,
                alpha,
                sequential,
                verdict,
                guardrail,
                summary);
    }

    /**
     * CUPED is applied to COUNT, SUM and CONVERSION metrics. AVERAGE metrics already use x for their denominator;
     * adjusting a ratio needs the pre-period numerator and denominator too (a 4×4 delta method), which the
     * sufficient statistics do not carry, so the flag is ignored for them (θ = 0 in the result).
     */
    private static double cupedTheta(MetricDefinition metric, SufficientStatistics c, SufficientStatistics t) {
        if (!metric.cuped() || metric.aggregation() == Aggregation.AVERAGE) {
            return 0;
        }
        return Cuped.theta(metric.aggregation(), c, t);
    }
}
