package dev.dimmer.server.alerts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Alerts and stale flags ({@code dimmer.alerts.*}); see docs/guardrails.md "On call".
 *
 * @param clearCycles consecutive analysis cycles a condition must be clear before its alert resolves by itself
 * @param noTrafficAfter how long a flag served to more than 0 % may go without an impression before a NO_TRAFFIC alert
 * @param staleSingleTreatmentAfter a flag that has served one treatment to everyone, in every environment, for this
 *     long is stale
 * @param staleUnusedAfter a flag with no impression in any environment for this long is stale
 * @param trafficScanOverlap each scan for the newest impressions re-reads this much before the previous one, so
 *     impressions whose SDK time is a little older than their arrival are not missed
 */
@ConfigurationProperties("dimmer.alerts")
record AlertSettings(
        Integer clearCycles,
        Duration noTrafficAfter,
        Duration staleSingleTreatmentAfter,
        Duration staleUnusedAfter,
        Duration trafficScanOverlap) {

    AlertSettings {
        clearCycles = clearCycles == null ? 3 : clearCycles;
        noTrafficAfter = noTrafficAfter == null ? Duration.ofHours(1) : noTrafficAfter;
        staleSingleTreatmentAfter = staleSingleTreatmentAfter == null ? Duration.ofDays(30) : staleSingleTreatmentAfter;
        staleUnusedAfter = staleUnusedAfter == null ? Duration.ofDays(30) : staleUnusedAfter;
        trafficScanOverlap = trafficScanOverlap == null ? Duration.ofMinutes(5) : trafficScanOverlap;
        if (clearCycles < 1) {
            throw new IllegalArgumentException("dimmer.alerts.clear-cycles must be >= 1, was " + clearCycles);
        }
    }
}
