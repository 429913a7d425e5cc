package dev.dimmer.server.alerts;

/** What an alert is about. */
public enum AlertKind {
    /** A guardrail metric is significantly worse with a treatment than with the control (BREACHED or SEVERE). */
    GUARDRAIL,
    /** Sample-ratio mismatch: the arms' sizes do not match the configured split, so the report cannot be trusted. */
    SRM,
    /** The flag is served to more than 0 % of users but no impression arrived for {@code dimmer.alerts.no-traffic-after}. */
    NO_TRAFFIC
}
