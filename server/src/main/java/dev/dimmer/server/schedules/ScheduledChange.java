package dev.dimmer.server.schedules;

import java.time.Instant;

/**
 * A stored scheduled change with the keys of its flag, environment and project.
 *
 * @param payload SET_ROLLOUT: {@link Rollout} as JSON; APPLY: the configuration as JSON; else null
 */
record ScheduledChange(
        long id,
        long flagId,
        long environmentId,
        String project,
        String environment,
        String flag,
        String ownerTeam,
        Instant runAt,
        ScheduleAction action,
        String payload,
        long baseVersion,
        ScheduleStatus status,
        String comment,
        String createdBy,
        Instant createdAt,
        Instant finishedAt,
        String finishedBy,
        String outcome,
        Long appliedVersion) {

    /** The actor its change is audited as. */
    String actor() {
        return "schedule:" + id;
    }

    /** SET_ROLLOUT's payload: the treatment gets {@code weight} basis points of the default split, the control the rest. */
    record Rollout(String treatment, String control, int weight) {}
}
