package dev.dimmer.server.alerts;

/** Where an alert is in its life. */
public enum AlertStatus {
    /** The condition holds (or held until fewer than {@code clear-cycles} cycles ago) and nobody has taken it. */
    OPEN,
    /**
     * A person has taken it: it stays unresolved and keeps its numbers current, but only escalations and Dimmer's own
     * actions are notified again.
     */
    ACKNOWLEDGED,
    /** Clear for {@code clear-cycles} cycles, or resolved by a person. A new occurrence opens a new alert. */
    RESOLVED;

    boolean unresolved() {
        return this != RESOLVED;
    }
}
