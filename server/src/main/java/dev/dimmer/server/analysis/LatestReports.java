package dev.dimmer.server.analysis;

import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The read side of the analysis job for other features (alerts, rollout plans): the newest stored report of a flag,
 * never recomputed, so what acts on a report acts on the numbers a person sees.
 */
@Component
public class LatestReports {

    private final ReportService reports;

    LatestReports(ReportService reports) {
        this.reports = reports;
    }

    /** The newest stored report of the flag in the environment, if the analysis job stored one. */
    public Optional<ExperimentReport> latest(long environmentId, long flagId) {
        return reports.latestRun(environmentId, flagId).map(run -> reports.load(run.id()));
    }
}
