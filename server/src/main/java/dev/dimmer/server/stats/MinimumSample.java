package dev.dimmer.server.stats;

/**
 * The gate before any verdict (DESIGN §5): below it the normal approximations behind every interval here are
 * unreliable, and early tiny samples produce the most spectacular and least reproducible lifts.
 */
final class MinimumSample {

    static final long USERS_PER_ARM = 100;

    static final long CONVERSIONS_PER_ARM = 25;

    private MinimumSample() {}

    static boolean reached(Aggregation aggregation, SufficientStatistics arm) {
        if (arm.n() < USERS_PER_ARM) {
            return false;
        }
        return aggregation != Aggregation.CONVERSION || arm.sumY() >= CONVERSIONS_PER_ARM;
    }
}
