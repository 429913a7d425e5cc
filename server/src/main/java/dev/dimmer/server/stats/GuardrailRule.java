package dev.dimmer.server.stats;

/**
 * Guardrail status from the absolute difference Δ (DESIGN §5), with d·Δ so that negative means worse and margins
 * scaled by the control mean: m = margin·|ȳC|, k = killThreshold·|ȳC|.
 *
 * <ul>
 *   <li>SEVERE: the always-valid interval of d·Δ lies entirely below −k;
 *   <li>BREACHED: it lies entirely below 0;
 *   <li>HEALTHY: the one-sided (1−α) lower bound of d·Δ is above −m (non-inferiority);
 *   <li>AT_RISK: anything else.
 * </ul>
 *
 * Breach always uses the always-valid interval, because guardrails are watched continuously and an alert must not
 * fire on noise just because someone looked often. Non-inferiority uses the fixed one-sided bound in fixed-horizon
 * mode and, in sequential mode, the lower end of the two-sided always-valid interval (always valid, and at least as
 * conservative as a one-sided bound at the same α).
 */
final class GuardrailRule {

    private GuardrailRule() {}

    static GuardrailStatus assess(
            MetricDefinition metric,
            boolean enoughData,
            Effect absolute,
            double controlMean,
            double alpha,
            boolean sequential) {
        if (!metric.guardrail()) {
            return GuardrailStatus.NOT_APPLICABLE;
        }
        if (!enoughData || !absolute.isDefined()) {
            return GuardrailStatus.NOT_ENOUGH_DATA;
        }
        int d = metric.direction().sign();
        double scale = Math.abs(controlMean);
        Interval alwaysValid = absolute.sequentialInterval().times(d);
        if (alwaysValid.entirelyBelow(0)) {
            Double kill = metric.killThreshold();
            return kill != null && alwaysValid.entirelyBelow(-kill * scale)
                    ? GuardrailStatus.SEVERE
                    : GuardrailStatus.BREACHED;
        }
        double lowerBound = sequential ? alwaysValid.lower() : WelchTest.oneSidedLowerBound(absolute, d, alpha);
        return lowerBound > -metric.margin() * scale ? GuardrailStatus.HEALTHY : GuardrailStatus.AT_RISK;
    }
}
