package dev.dimmer.server.schedules;

import dev.dimmer.server.targeting.ConfigurationUpdate;
import java.time.Instant;

/**
 * A scheduled change as the API shows it.
 *
 * @param rollout SET_ROLLOUT's treatment, control and weight; null otherwise
 * @param configuration APPLY's configuration; null otherwise
 * @param baseVersion the configuration version it was made against: if the flag is at another version when it is due,
 *     it fails instead of overwriting
 * @param finishedBy {@code schedule:<id>} when it ran, the person when cancelled
 * @param outcome what happened, in words (null while pending)
 * @param appliedVersion the configuration's version after it was applied
 */
record ScheduleView(
        long id,
        String project,
        String environment,
        String flag,
        Instant runAt,
        ScheduleAction action,
        ScheduledChange.Rollout rollout,
        ConfigurationUpdate configuration,
        long baseVersion,
        ScheduleStatus status,
        String comment,
        String createdBy,
        Instant createdAt,
        Instant finishedAt,
        String finishedBy,
        String outcome,
        Long appliedVersion) {}
