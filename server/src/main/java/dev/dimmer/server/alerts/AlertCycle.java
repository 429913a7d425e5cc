package dev.dimmer.server.alerts;

import dev.dimmer.server.analysis.AnalysisCycleCompleted;
import dev.dimmer.server.analysis.ExperimentReport;
import dev.dimmer.server.analysis.LatestReports;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After every analysis cycle, judges every active flag configuration: guardrails and SRM from the flag's newest stored
 * report (a flag the cycle skipped as unchanged is judged on its previous report, so "clear for N cycles" counts
 * cycles, not recomputations), no traffic from {@link FlagTraffic}; then stale flags. Each flag and environment is
 * applied in its own transaction, so one failure does not hold up the others.
 *
 * <p>One replica at a time: the pass holds the session advisory lock {@link #LOCK}; a replica that does not get it
 * skips the pass (the next cycle judges again).
 */
@Component
class AlertCycle {

    /** Advisory lock id of the alerts pass ("DIMALERT" in ASCII). */
    static final long LOCK = 0x44494d414c455254L;

    private static final Logger log = LoggerFactory.getLogger(AlertCycle.class);

    private final DataSource dataSource;
    private final Subjects subjects;
    private final LatestReports reports;
    private final FlagTraffic traffic;
    private final AlertLifecycle lifecycle;
    private final StaleFlags staleFlags;
    private final AlertSettings settings;
    private final AtomicLong passes = new AtomicLong();

    AlertCycle(
            DataSource dataSource,
            Subjects subjects,
            LatestReports reports,
            FlagTraffic traffic,
            AlertLifecycle lifecycle,
            StaleFlags staleFlags,
            AlertSettings settings) {
        this.dataSource = dataSource;
        this.subjects = subjects;
        this.reports = reports;
        this.traffic = traffic;
        this.lifecycle = lifecycle;
        this.staleFlags = staleFlags;
        this.settings = settings;
    }

    @EventListener
    void on(AnalysisCycleCompleted cycle) {
        try {
            runOnce();
        } catch (SQLException | RuntimeException e) {
            log.error("alerts pass after the analysis cycle failed; will retry after the next one", e);
        }
    }

    /** Passes completed (on this replica): tests wait on it. */
    long passes() {
        return passes.get();
    }

    /** Judges every flag once; false when another replica holds the pass. */
    boolean runOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!lock(c, "SELECT pg_try_advisory_lock(?)")) {
                return false;
            }
            try {
                judgeAll();
            } finally {
                lock(c, "SELECT pg_advisory_unlock(?)");
            }
        }
        passes.incrementAndGet();
        return true;
    }

    private void judgeAll() {
        FlagTraffic.Scan scan = traffic.scan();
        Instant now = scan.scannedTo();
        Map<FlagTraffic.Key, Instant> lastImpressions = traffic.lastImpressions();
        Map<Long, Map<String, Double>> killThresholds = subjects.killThresholds();
        int failed = 0;
        for (Subject subject : subjects.all()) {
            try {
                List<Finding> findings = new ArrayList<>();
                Set<AlertKind> undecided = new HashSet<>();
                Optional<ExperimentReport> report = reports.latest(subject.environmentId(), subject.flagId());
                report.ifPresent(r -> {
                    Judgement j = ReportFindings.of(r, killThresholds.getOrDefault(subject.projectId(), Map.of()));
                    findings.addAll(j.findings());
                    undecided.addAll(j.undecided());
                });
                NoTraffic.of(
                                subject,
                                lastImpressions.get(new FlagTraffic.Key(subject.environmentId(), subject.flag())),
                                now,
                                settings.noTrafficAfter())
                        .ifPresent(findings::add);
                lifecycle.apply(
                        subject,
                        new Judgement(findings, undecided),
                        report.map(ExperimentReport::computedAt).orElse(null),
                        now);
            } catch (RuntimeException e) {
                failed++;
                log.error(
                        "alerts: judging flag '{}' in {}/{} failed; next cycle tries again",
                        subject.flag(),
                        subject.project(),
                        subject.environment(),
                        e);
            }
        }
        try {
            lifecycle.resolveArchived(now);
        } catch (RuntimeException e) {
            log.error("alerts: resolving the alerts of archived flags failed; next cycle tries again", e);
        }
        staleFlags.tellOwners(now, scan);
        if (failed > 0) {
            log.warn("alerts: {} flag configurations could not be judged this cycle", failed);
        }
    }

    private static boolean lock(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LOCK);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }
}
