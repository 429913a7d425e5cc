package dev.dimmer.server.stats;

/**
 * Result of the sample-ratio-mismatch test.
 *
 * @param status OK, MISMATCH or NOT_ENOUGH_DATA
 * @param chiSquare Pearson χ² statistic (NaN when skipped)
 * @param degreesOfFreedom k − 1
 * @param pValue Q((k−1)/2, χ²/2) (NaN when skipped)
 */
public record SrmResult(SrmStatus status, double chiSquare, int degreesOfFreedom, double pValue) {

    public boolean trustworthy() {
        return status != SrmStatus.MISMATCH;
    }
}
