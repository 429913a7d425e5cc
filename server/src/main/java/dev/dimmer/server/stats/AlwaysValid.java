package dev.dimmer.server.stats;

/**
 * Always-valid confidence intervals and p-values (a normal-mixture confidence sequence: Howard, Ramdas, McAuliffe
 * and Sekhon 2021; asymptotic form of Waudby-Smith et al. 2023, eq. 9 and 155, as used by GrowthBook). Their
 * coverage holds simultaneously over every look, so a report may be refreshed daily and stopped whenever it is
 * significant without inflating the false-positive rate.
 *
 * <p>With n = nT + nC and r = ρ² = (−2 ln α + ln(1 − 2 ln α)) / N* (the mixing variance that makes the interval
 * tightest at n = N*):
 *
 * <pre>
 *   half-width = SE·√((1+nr)/(nr) · (ln(1+nr) − 2 ln α))
 *   ln Λ       = −½ ln(1+nr) + nr·z² / (2(1+nr)),   z = Δ/SE,   p = min(1, 1/Λ)
 * </pre>
 */
final class AlwaysValid {

    private AlwaysValid() {}

    static double mixingRate(double alpha, double tuning) {
        double minusTwoLogAlpha = -2 * Math.log(alpha);
        return (minusTwoLogAlpha + Math.log1p(minusTwoLogAlpha)) / tuning;
    }

    static double halfWidth(double standardError, long totalN, double alpha, double tuning) {
        double nr = totalN * mixingRate(alpha, tuning);
        return standardError * Math.sqrt((1 + nr) / nr * (Math.log1p(nr) - 2 * Math.log(alpha)));
    }

    /** Computed in log space: Λ overflows a double once z² is in the thousands. */
    static double pValue(double estimate, double standardError, long totalN, double alpha, double tuning) {
        double nr = totalN * mixingRate(alpha, tuning);
        double z = estimate / standardError;
        double logLambda = -0.5 * Math.log1p(nr) + nr * z * z / (2 * (1 + nr));
        return logLambda <= 0 ? 1 : Math.exp(-logLambda);
    }
}
