package dev.dimmer.server.rollout;

/** Where a rollout plan is in its life. */
public enum PlanStatus {
    /** Defined, not started: the configuration is untouched. */
    DRAFT,
    /** The scheduler checks it and advances it while the flag is healthy. */
    ACTIVE,
    /** Stopped by a person, or by a hand edit of what the plan owns; a person resumes it. */
    PAUSED,
    /** Stopped by the plan itself: a guardrail breach (after rolling back or killing), SRM, a kill, a failed step. */
    HALTED,
    /** Its last stage was reached and passed its gates. */
    COMPLETED,
    /** Stopped for good by a person; the configuration stays as it was. */
    ABORTED;

    /** Draft, active, paused or halted: at most one such plan per flag and environment. */
    boolean inProgress() {
        return this != COMPLETED && this != ABORTED;
    }
}
