package dev.dimmer.server.stats;

/** Which way a metric should move for the treatment to count as better. */
public enum Direction {
    INCREASE(1),
    DECREASE(-1);

    private final int sign;

    Direction(int sign) {
        this.sign = sign;
    }

    /** d in the spec: +1 when higher is better, −1 when lower is better, so d·Δ > 0 always means "better". */
    public int sign() {
        return sign;
    }
}
