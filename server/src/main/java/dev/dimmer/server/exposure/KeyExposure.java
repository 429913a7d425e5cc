package dev.dimmer.server.exposure;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET …/flags/{f}/exposure/keys/{key}}: what one key was shown, for "why did K get T".
 *
 * @param exposures the key's first impression per treatment (ever, within the retention)
 * @param impressions its latest impressions, newest first, at most {@code limit}
 * @param multipleTreatments whether it has seen more than one treatment (analysis excludes it)
 */
record KeyExposure(
        String flag,
        String environment,
        String key,
        List<FirstExposure> exposures,
        List<Impression> impressions,
        boolean multipleTreatments) {

    record FirstExposure(String treatment, Instant firstSeen, String label) {}

    record Impression(String treatment, String label, Long changeNumber, Instant time) {}
}
