package dev.dimmer.server.rollout;

/** What a plan does, besides halting, when a guardrail is breached during a stage. */
public enum BreachAction {
    /** Apply the previous stage again (before the first stage: nobody exposed by the plan). */
    ROLLBACK,
    /** Kill the flag: everyone gets the off treatment until a person restores it. */
    KILL
}
