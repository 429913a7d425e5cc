package dev.dimmer.server.analysis;

import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagRepository;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.EnvironmentRepository;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.projects.ProjectRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Recomputes the report of every flag with exposure, in every environment, every {@code dimmer.analysis.interval}
 * (default 5 minutes), on one replica at a time.
 *
 * <p><b>One replica.</b> The run holds the session-level advisory lock {@link #LOCK} on a connection of its own for its
 * whole duration ({@code pg_try_advisory_lock}); a replica that does not get it skips the run. A crashed replica's
 * session ends and PostgreSQL releases the lock with it.
 *
 * <p><b>Incremental.</b> A flag is skipped when its inputs did not change since its latest stored run: the fingerprint
 * covers the flag's exposures (count, first and last first-exposure, from one {@code GROUP BY} over
 * {@code exposures} for all flags), the environment's newest impression and event batches (one index probe each on
 * {@code ingest_batches}) and the configuration the report depends on (control, split weights, metrics and their
 * versions, when each success metric was attached). Because {@code received_at} is a transaction's start time, a batch
 * that committed just after a run may carry an earlier time; so a run whose environment received data less than
 * {@link #DEFAULT_SETTLE} before it is not trusted as a baseline, and the next run recomputes once more.
 *
 * <p>A flag that is rerun is updated incrementally when its stored per-user state allows it ({@link AnalysisQuery}:
 * only the users touched by new events or changed exposures are read), else recomputed in full.
 */
@Component
class AnalysisJob {

    /** Advisory lock id of this job ("DIMMERAN" in ASCII). */
    static final long LOCK = 0x44494d4d4552414eL;

    /** Data younger than this at the previous run may have been committed after it: recompute once more. */
    static final Duration DEFAULT_SETTLE = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(AnalysisJob.class);

    /** What one run did. */
    record Outcome(boolean ran, int analysed, int skipped, int failed) {}

    private final DataSource dataSource;
    private final ReportService reports;
    private final EnvironmentRepository environments;
    private final ProjectRepository projects;
    private final FlagRepository flags;
    private final JdbcTemplate jdbc;
    private final Duration settle;
    private final ApplicationEventPublisher events;

    AnalysisJob(
            DataSource dataSource,
            ReportService reports,
            EnvironmentRepository environments,
            ProjectRepository projects,
            FlagRepository flags,
            JdbcTemplate jdbc,
            @Value("${dimmer.analysis.settle:PT1M}") Duration settle,
            ApplicationEventPublisher events) {
        this.settle = settle;
        this.events = events;
        this.dataSource = dataSource;
        this.reports = reports;
        this.environments = environments;
        this.projects = projects;
        this.flags = flags;
        this.jdbc = jdbc;
    }

    @Scheduled(
            initialDelayString = "${dimmer.analysis.interval:PT5M}",
            fixedDelayString = "${dimmer.analysis.interval:PT5M}")
    void runScheduled() {
        try {
            Outcome outcome = runOnce();
            if (outcome.analysed() > 0 || outcome.failed() > 0) {
                log.info(
                        "analysis: {} flags analysed, {} unchanged, {} failed",
                        outcome.analysed(),
                        outcome.skipped(),
                        outcome.failed());
            }
        } catch (SQLException | RuntimeException e) {
            log.error("analysis run failed; will retry at the next run", e);
        }
    }

    /** One run over all flags with exposure; does nothing when another replica is running it. */
    Outcome runOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!lock(c, "SELECT pg_try_advisory_lock(?)")) {
                return new Outcome(false, 0, 0, 0);
            }
            Instant startedAt = Instant.now();
            Outcome outcome;
            try {
                outcome = analyseAll();
            } finally {
                lock(c, "SELECT pg_advisory_unlock(?)");
            }
            // After the unlock: a listener's work (alerts, notifications) is not part of the analysis run.
            events.publishEvent(new AnalysisCycleCompleted(
                    startedAt, Instant.now(), outcome.analysed(), outcome.skipped(), outcome.failed()));
            return outcome;
        }
    }

    private Outcome analyseAll() {
        int analysed = 0;
        int skipped = 0;
        int failed = 0;
        for (Map.Entry<Long, Map<String, long[]>> byEnvironment :
                reports.exposureSummaries().entrySet()) {
            Optional<Environment> environment = environments.findById(byEnvironment.getKey());
            if (environment.isEmpty() || environment.get().isArchived()) {
                continue;
            }
            Project project = jdbc
                    .queryForList(
                            "SELECT key FROM projects WHERE id = ?",
                            String.class,
                            environment.get().getProjectId())
                    .stream()
                    .findFirst()
                    .flatMap(projects::findByKey)
                    .orElse(null);
            if (project == null) {
                continue;
            }
            for (Map.Entry<String, long[]> byFlag : byEnvironment.getValue().entrySet()) {
                Optional<Flag> flag = flags.findByProjectIdAndKey(project.getId(), byFlag.getKey());
                if (flag.isEmpty() || flag.get().isArchived()) {
                    continue;
                }
                try {
                    if (analyseIfChanged(project, environment.get(), flag.get(), byFlag.getValue())) {
                        analysed++;
                    } else {
                        skipped++;
                    }
                } catch (SQLException | RuntimeException e) {
                    failed++;
                    log.error(
                            "analysis of flag '{}' in environment {} failed",
                            byFlag.getKey(),
                            environment.get().getId(),
                            e);
                }
            }
        }
        return new Outcome(true, analysed, skipped, failed);
    }

    /** Recomputes one flag's report unless its inputs are unchanged since its latest run; true when recomputed. */
    boolean analyseIfChanged(Project project, Environment environment, Flag flag, long[] exposure) throws SQLException {
        ReportService.Setup setup = reports.setup(environment, flag);
        ReportService.Inputs inputs = reports.inputs(environment, setup, exposure);
        Optional<ReportService.LatestRun> latest = reports.latestRun(environment.getId(), flag.getId());
        if (latest.isPresent()
                && latest.get().fingerprint().equals(inputs.fingerprint())
                && settled(environment.getId(), latest.get().computedAt())) {
            return false;
        }
        reports.refresh(project, environment, flag, exposure, true);
        return true;
    }

    private boolean settled(long environmentId, Instant previousRun) {
        for (Instant mark : reports.watermarks(environmentId)) {
            if (mark != null && mark.plus(settle).isAfter(previousRun)) {
                return false;
            }
        }
        return true;
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
