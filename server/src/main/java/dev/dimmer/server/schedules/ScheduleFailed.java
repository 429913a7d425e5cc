package dev.dimmer.server.schedules;

import java.time.Instant;

/**
 * A scheduled change ran and changed nothing; published inside the transaction that marked it failed, for the flag's
 * owning team to be told.
 *
 * @param baseVersion the configuration version the change was made against
 * @param currentVersion the version the configuration was at when the change was due
 * @param reason a sentence a person reads: what changed since, or why the change was refused
 */
public record ScheduleFailed(
        long scheduleId,
        String project,
        String environment,
        String flag,
        String ownerTeam,
        ScheduleAction action,
        Instant runAt,
        Instant ranAt,
        String createdBy,
        long baseVersion,
        Long currentVersion,
        String reason) {}
