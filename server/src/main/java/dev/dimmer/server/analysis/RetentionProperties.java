package dev.dimmer.server.analysis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long exposures, report history and the analysis's per-user state are kept ({@code dimmer.retention.*});
 * docs/operations.md "Retention". Omitted properties take the defaults below.
 *
 * @param enabled whether the scheduled job runs (it can still be run directly)
 * @param interval how often the job runs
 * @param exposuresIdle a flag's exposures in an environment are deleted, all at once, when none is newer than this:
 *     no new user for this long means the experiment is over (its last report stays)
 * @param exposuresArchived the same for an archived flag or environment (or a flag that no longer exists), which is no
 *     longer analysed
 * @param analysisRunsDetail report history older than this keeps only the last run of each UTC day per flag and
 *     environment (what "effect over time" reads)
 * @param analysisRuns report history older than this is deleted; the latest run of each flag and environment (the
 *     report) is always kept
 * @param analysisStateIdle the per-user state of a flag not analysed for this long is deleted (its next analysis, if
 *     any, is a full recompute)
 * @param batchSize rows deleted per transaction, so no deletion holds locks for long
 */
@ConfigurationProperties("dimmer.retention")
record RetentionProperties(
        Boolean enabled,
        Duration interval,
        Duration exposuresIdle,
        Duration exposuresArchived,
        Duration analysisRunsDetail,
        Duration analysisRuns,
        Duration analysisStateIdle,
        Integer batchSize) {

    RetentionProperties {
        enabled = enabled == null || enabled;
        interval = interval == null ? Duration.ofHours(1) : interval;
        exposuresIdle = exposuresIdle == null ? Duration.ofDays(180) : exposuresIdle;
        exposuresArchived = exposuresArchived == null ? Duration.ofDays(30) : exposuresArchived;
        analysisRunsDetail = analysisRunsDetail == null ? Duration.ofDays(7) : analysisRunsDetail;
        analysisRuns = analysisRuns == null ? Duration.ofDays(400) : analysisRuns;
        analysisStateIdle = analysisStateIdle == null ? Duration.ofDays(14) : analysisStateIdle;
        batchSize = batchSize == null ? 10_000 : Math.max(1, batchSize);
    }
}
