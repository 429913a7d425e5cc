package dev.dimmer.server.stats;

/**
 * Everything the engine needs to know about one arm for one metric: sums over the arm's users, which the SQL layer
 * can compute with one {@code GROUP BY} and which add up across days, shards or partial runs ({@link #plus}), so a
 * report can be updated incrementally instead of rescanning raw events.
 *
 * <p>y is the per-user metric value. x depends on the metric:
 *
 * <ul>
 *   <li>AVERAGE (ratio) metrics: y = the user's sum of values (numerator), x = the user's number of events
 *       (denominator);
 *   <li>CUPED-enabled COUNT/SUM/CONVERSION metrics: x = the same metric in the 14 days before first exposure;
 *   <li>otherwise x is unused and the x sums are 0.
 * </ul>
 *
 * @param n number of users (experimental units) in the arm
 * @param sumY Σy
 * @param sumY2 Σy²
 * @param sumX Σx
 * @param sumX2 Σx²
 * @param sumXY Σxy
 */
public record SufficientStatistics(long n, double sumY, double sumY2, double sumX, double sumX2, double sumXY) {

    public static final SufficientStatistics EMPTY = new SufficientStatistics(0, 0, 0, 0, 0, 0);

    public SufficientStatistics {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (sumY2 < 0 || sumX2 < 0) {
            throw new IllegalArgumentException("sums of squares must be >= 0");
        }
    }

    /** Statistics of a metric without covariate or denominator. */
    public static SufficientStatistics of(long n, double sumY, double sumY2) {
        return new SufficientStatistics(n, sumY, sumY2, 0, 0, 0);
    }

    /** A CONVERSION arm: y ∈ {0, 1}, so Σy² = Σy = the number of converted users. */
    public static SufficientStatistics conversions(long users, long converted) {
        if (converted > users || converted < 0) {
            throw new IllegalArgumentException("converted must be in [0, users]");
        }
        return of(users, converted, converted);
    }

    /** The statistics of the union of two disjoint sets of users. */
    public SufficientStatistics plus(SufficientStatistics other) {
        return new SufficientStatistics(
                n + other.n,
                sumY + other.sumY,
                sumY2 + other.sumY2,
                sumX + other.sumX,
                sumX2 + other.sumX2,
                sumXY + other.sumXY);
    }

    /** Whether x carries data (a covariate or denominator was supplied). */
    public boolean hasX() {
        return sumX != 0 || sumX2 != 0 || sumXY != 0;
    }
}
