package dev.dimmer.server.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A flag served to more than 0 % of users with no impression for {@code dimmer.alerts.no-traffic-after}: its SDK
 * wiring is probably broken (the service never calls the SDK for it, or uses another environment's key). The clock
 * starts at the newest impression or the configuration's last change, whichever is later, so a flag just switched on
 * gets the whole period to show traffic.
 */
final class NoTraffic {

    private NoTraffic() {}

    static Optional<Finding> of(Subject subject, Instant lastImpression, Instant now, Duration after) {
        if (!subject.served()) {
            return Optional.empty();
        }
        Instant silentSince = lastImpression == null || lastImpression.isBefore(subject.configuredAt())
                ? subject.configuredAt()
                : lastImpression;
        if (Duration.between(silentSince, now).compareTo(after) < 0) {
            return Optional.empty();
        }
        String summary = String.format(
                Locale.ROOT,
                "Flag %s is served to %.2f%% of users in %s but no impression has arrived since %s (%s): check that"
                        + " the service evaluates it with an SDK key of %s and that impressions are enabled.",
                subject.flag(),
                subject.trafficAllocation() / 100.0,
                subject.environment(),
                silentSince,
                lastImpression == null ? "none seen since it was configured" : "the last impression",
                subject.environment());
        return Optional.of(
                new Finding(AlertKind.NO_TRAFFIC, "", "SILENT", null, null, null, null, null, Map.of(), null, summary));
    }
}
