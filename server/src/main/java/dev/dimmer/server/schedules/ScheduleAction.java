package dev.dimmer.server.schedules;

/** What a scheduled change does to the flag's configuration when it runs. */
public enum ScheduleAction {
    /** {@code enabled: true}; everything else as it is. */
    ENABLE,
    /** {@code enabled: false}; everything else as it is. */
    DISABLE,
    /** The default rule becomes the split {@code [treatment: weight, control: 10000 − weight]} (weight 0: the control). */
    SET_ROLLOUT,
    /** The whole configuration, as {@code PUT …/flags/{f}} takes it. */
    APPLY
}
