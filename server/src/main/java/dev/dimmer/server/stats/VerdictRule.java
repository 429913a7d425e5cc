package dev.dimmer.server.stats;

/** Turns an interval into a verdict: significant when the interval at the tested level excludes "no change". */
final class VerdictRule {

    private VerdictRule() {}

    /**
     * Excluding 0 from the interval is equivalent to p < α for both the fixed (same t quantile) and the sequential
     * test (the always-valid interval is the inversion of the always-valid p-value), so one rule serves both.
     */
    static Verdict decide(boolean enoughData, Effect headline, boolean sequential, Direction direction) {
        if (!enoughData || !headline.isDefined()) {
            return Verdict.NOT_ENOUGH_DATA;
        }
        Interval betterIsPositive = headline.interval(sequential).times(direction.sign());
        if (betterIsPositive.entirelyAbove(0)) {
            return Verdict.IMPROVED;
        }
        if (betterIsPositive.entirelyBelow(0)) {
            return Verdict.DEGRADED;
        }
        return Verdict.INCONCLUSIVE;
    }
}
