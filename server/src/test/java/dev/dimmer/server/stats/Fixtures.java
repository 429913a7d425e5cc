package dev.dimmer.server.stats;

/** Builders for test arms described by their mean and variance instead of raw sums. */
final class Fixtures {

    private Fixtures() {}

    /** Sufficient statistics whose sample mean and sample variance are exactly {@code mean} and {@code variance}. */
    static SufficientStatistics arm(long n, double mean, double variance) {
        return SufficientStatistics.of(n, n * mean, (n - 1) * variance + n * mean * mean);
    }
}
