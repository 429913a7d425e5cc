package dev.dimmer.server.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A flag that looks dead and should be removed from code.
 *
 * @param reasons SINGLE_TREATMENT (every environment has served one treatment to everyone since {@code
 *     singleTreatmentSince}) and/or NO_IMPRESSIONS (no impression in any environment since {@code silentSince})
 * @param servedTreatments per environment, the one treatment everyone gets there (absent: more than one)
 * @param singleTreatmentSince since when every environment has served one treatment (null: some serves several)
 * @param lastImpressionAt the newest impression in any environment (null: none seen while tracked)
 * @param silentSince since when no impression is known (the last impression, else the flag's creation or the start
 *     of tracking)
 * @param notifiedAt when the owner team was told (null: not yet, told after the next analysis cycle)
 */
public record StaleFlag(
        String project,
        String flag,
        String ownerTeam,
        List<String> reasons,
        Map<String, String> servedTreatments,
        Instant singleTreatmentSince,
        Instant lastImpressionAt,
        Instant silentSince,
        Instant notifiedAt) {}
