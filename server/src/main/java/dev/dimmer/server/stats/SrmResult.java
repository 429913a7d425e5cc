package dev.dimmer.server.stats;

/**
 * Result of the sample-ratio-mismatch test ({@link SampleRatioTest}).
 *
 * @param status OK, MISMATCH or NOT_ENOUGH_DATA
 * @param pValue the always-valid p-value that decides (valid however often the growing counts are tested; NaN when
 *     skipped)
 * @param chiSquare Pearson χ² statistic (NaN when skipped)
 * @param degreesOfFreedom k − 1
 * @param chiSquarePValue Q((k−1)/2, χ²/2): what a single fixed-horizon look says (NaN when skipped); informative
 *     only, because the check is repeated every analysis cycle
 */
public record SrmResult(
        SrmStatus status, double pValue, double chiSquare, int degreesOfFreedom, double chiSquarePValue) {

    static SrmResult notEnoughData(int degreesOfFreedom) {
        return new SrmResult(SrmStatus.NOT_ENOUGH_DATA, Double.NaN, Double.NaN, degreesOfFreedom, Double.NaN);
    }

    public boolean trustworthy() {
        return status != SrmStatus.MISMATCH;
    }
}
