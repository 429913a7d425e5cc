package dev.dimmer.server.schedules;

/** Where a scheduled change is in its life. */
public enum ScheduleStatus {
    /** Waiting for its time. */
    PENDING,
    /** Ran: the configuration was changed. */
    APPLIED,
    /** Ran and changed nothing: the flag had changed since the schedule was made, or the change was refused. */
    FAILED,
    /** Cancelled by a person before it ran. */
    CANCELLED
}
