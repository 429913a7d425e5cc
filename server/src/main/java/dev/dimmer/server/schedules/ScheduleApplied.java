package dev.dimmer.server.schedules;

import java.time.Instant;

/**
 * A scheduled change was applied; published inside the transaction that applied it.
 *
 * @param createdBy the person who scheduled it
 * @param configurationVersion the flag configuration's version after the change
 */
public record ScheduleApplied(
        long scheduleId,
        String project,
        String environment,
        String flag,
        String ownerTeam,
        ScheduleAction action,
        Instant runAt,
        Instant ranAt,
        String createdBy,
        long configurationVersion) {}
