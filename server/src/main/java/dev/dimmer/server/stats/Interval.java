package dev.dimmer.server.stats;

/** A closed interval [lower, upper]; bounds may be infinite (one-sided) or NaN (not computable). */
public record Interval(double lower, double upper) {

    static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

    static Interval around(double centre, double halfWidth) {
        return new Interval(centre - halfWidth, centre + halfWidth);
    }

    /** The interval of −X when this is the interval of X. */
    Interval negate() {
        return new Interval(-upper, -lower);
    }

    Interval times(int sign) {
        return sign >= 0 ? this : negate();
    }

    public boolean isDefined() {
        return !Double.isNaN(lower) && !Double.isNaN(upper);
    }

    public boolean entirelyAbove(double value) {
        return lower > value;
    }

    public boolean entirelyBelow(double value) {
        return upper < value;
    }
}
