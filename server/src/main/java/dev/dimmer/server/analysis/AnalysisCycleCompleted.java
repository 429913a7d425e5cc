package dev.dimmer.server.analysis;

import java.time.Instant;

/**
 * Published on the replica that ran an analysis cycle, after every flag's report of the cycle is stored. Listeners
 * (alerts, plans) read the stored reports through {@link LatestReports} rather than receiving them: a flag skipped as
 * unchanged keeps its previous report, and a listener must judge it all the same (an alert's "clear for N cycles").
 */
public record AnalysisCycleCompleted(Instant startedAt, Instant finishedAt, int analysed, int skipped, int failed) {}
