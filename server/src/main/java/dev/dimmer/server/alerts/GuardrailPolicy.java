package dev.dimmer.server.alerts;

/** What a flag's guardrails may do on their own when one is severely breached. */
public enum GuardrailPolicy {
    /** Alert the owner team; a person decides (the default). */
    NOTIFY,
    /**
     * Alert and kill the flag in that environment, once per alert, when the always-valid interval of the degradation
     * lies entirely beyond the metric's kill threshold.
     */
    KILL
}
