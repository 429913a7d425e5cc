package dev.dimmer.server.stats;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One sentence per metric and treatment for readers who will not look at p-values, e.g. "Checkout conversion rose
 * 3.1% in treatment B (95% CI 1.2% to 5.0%): improved." The interval quoted is the one the verdict used, at the
 * level actually tested (after Bonferroni), so the sentence never contradicts the verdict.
 */
final class SummarySentence {

    private SummarySentence() {}

    static String write(
            MetricDefinition metric,
            String treatment,
            long smallestArm,
            Effect headline,
            boolean relative,
            boolean sequential,
            double alpha,
            Verdict verdict,
            GuardrailStatus guardrail) {
        String subject = metric.name() + " in " + treatment;
        if (verdict == Verdict.NOT_ENOUGH_DATA) {
            return subject + ": not enough data yet (" + minimumText(metric) + " per arm; smallest arm has "
                    + smallestArm + " users)" + guardrailText(guardrail) + ".";
        }
        Interval interval = headline.interval(sequential);
        double estimate = headline.estimate();
        String movement = estimate > 0 ? "rose" : estimate < 0 ? "fell" : "did not change";
        String magnitude = estimate == 0 ? "" : " " + (relative ? "" : "by ") + amount(Math.abs(estimate), relative);
        return metric.name() + " " + movement + magnitude + " in " + treatment + " (" + level(alpha) + "% CI "
                + amount(interval.lower(), relative) + " to " + amount(interval.upper(), relative) + "): "
                + verdictText(verdict) + guardrailText(guardrail) + ".";
    }

    private static String minimumText(MetricDefinition metric) {
        return metric.aggregation() == Aggregation.CONVERSION
                ? "needs " + MinimumSample.USERS_PER_ARM + " users and " + MinimumSample.CONVERSIONS_PER_ARM
                        + " conversions"
                : "needs " + MinimumSample.USERS_PER_ARM + " users";
    }

    private static String verdictText(Verdict verdict) {
        return switch (verdict) {
            case IMPROVED -> "improved";
            case DEGRADED -> "degraded";
            case INCONCLUSIVE -> "inconclusive";
            case NOT_ENOUGH_DATA -> "not enough data";
            case NOT_TRUSTWORTHY -> "not trustworthy (sample ratio mismatch)";
        };
    }

    private static String guardrailText(GuardrailStatus status) {
        return switch (status) {
            case NOT_APPLICABLE, NOT_ENOUGH_DATA -> "";
            case HEALTHY -> "; guardrail healthy";
            case AT_RISK -> "; guardrail at risk";
            case BREACHED -> "; guardrail breached";
            case SEVERE -> "; guardrail severely breached";
        };
    }

    /** Percent with one decimal (two below 1 %, so a 0.04 % lift does not read as 0.0 %), or a plain number. */
    static String amount(double value, boolean percent) {
        if (percent) {
            double pct = value * 100;
            return String.format(Locale.ROOT, Math.abs(pct) < 1 ? "%.2f%%" : "%.1f%%", pct);
        }
        return new BigDecimal(value)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** 95, 97.5, 98.75: the confidence level with no trailing zeros. */
    static String level(double alpha) {
        return new BigDecimal(Double.toString((1 - alpha) * 100))
                .setScale(4, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
