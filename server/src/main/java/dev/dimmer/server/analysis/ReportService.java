package dev.dimmer.server.analysis;

import dev.dimmer.server.analysis.AnalysisQuery.Aggregates;
import dev.dimmer.server.analysis.AnalysisQuery.ArmCount;
import dev.dimmer.server.analysis.AnalysisQuery.MetricInput;
import dev.dimmer.server.analysis.ExperimentReport.ArmView;
import dev.dimmer.server.analysis.ExperimentReport.DailyEffect;
import dev.dimmer.server.analysis.ExperimentReport.DefinitionChange;
import dev.dimmer.server.analysis.ExperimentReport.EffectOverTime;
import dev.dimmer.server.analysis.ExperimentReport.MetricChange;
import dev.dimmer.server.analysis.ExperimentReport.MetricReport;
import dev.dimmer.server.analysis.ExperimentReport.Srm;
import dev.dimmer.server.analysis.ExperimentReport.TreatmentView;
import dev.dimmer.server.analysis.ExperimentReport.Window;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.metrics.FlagMetrics;
import dev.dimmer.server.metrics.Metric;
import dev.dimmer.server.metrics.MetricHistory;
import dev.dimmer.server.metrics.MetricHistory.ExperimentChange;
import dev.dimmer.server.metrics.MetricRepository;
import dev.dimmer.server.metrics.MetricVersion;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.AnalysisOptions;
import dev.dimmer.server.stats.Arm;
import dev.dimmer.server.stats.ExperimentAnalyzer;
import dev.dimmer.server.stats.MetricDefinition;
import dev.dimmer.server.stats.MetricResult;
import dev.dimmer.server.stats.SampleRatioTest;
import dev.dimmer.server.stats.SrmResult;
import dev.dimmer.server.stats.SrmStatus;
import dev.dimmer.server.stats.SufficientStatistics;
import dev.dimmer.server.stats.Verdict;
import dev.dimmer.server.targeting.FlagConfiguration;
import dev.dimmer.server.targeting.FlagConfigurationRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Computes a flag's report in an environment (SQL aggregation, then the engine), stores it with its history, and
 * reads the latest one back. Used by the scheduled {@link AnalysisJob} and by the report API.
 */
@Service
class ReportService {

    static final String NO_EXPOSURE = "No exposure of this flag in this environment yet: nothing to analyse. "
            + "Reports appear once SDKs send impressions for it.";

    static final String NO_SPLIT = "This flag serves no split in this environment: nobody was randomised, so there is"
            + " nothing to compare. Serve a split (default rule or a rule) to run an experiment.";

    static final String SRM_WITHHELD =
            "Not trustworthy: sample ratio mismatch. The arms do not have the sizes the split"
                    + " promises, so something other than the randomisation decided who is in which arm (a treatment that"
                    + " crashes or redirects before its impression is sent, bots, a targeting or allocation change that"
                    + " moved users between arms, impressions lost for one treatment). Every verdict is withheld until the"
                    + " cause is found; the numbers are shown for the investigation only.";

    /** How the inputs of one flag in one environment looked at a point in time (cheap to read). */
    record Inputs(long exposures, Instant firstExposure, Instant lastExposure, String config, String watermark) {

        String fingerprint() {
            String text = exposures + "|" + firstExposure + "|" + lastExposure + "|" + watermark + "|" + config;
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The configuration a report depends on.
     *
     * @param changes what happened to the experiment's metrics after its start (redefinitions, removals)
     */
    record Setup(
            String control,
            List<String> treatments,
            ExperimentSplit split,
            ExperimentSettings settings,
            List<FlagMetrics.Attached> success,
            List<Metric> guardrails,
            List<ExperimentChange> changes) {

        /**
         * The definition the metric had when the experiment started, if it was redefined since (the version before
         * its first redefinition here); empty when it was not.
         */
        Optional<MetricVersion> startDefinition(Metric metric) {
            return changes.stream()
                    .filter(c -> c.metricId() == metric.getId() && c.change() == MetricHistory.Change.REDEFINED)
                    .findFirst()
                    .map(ExperimentChange::from);
        }

        /** The changes as the report lists them. */
        List<MetricChange> changeViews() {
            return changes.stream()
                    .map(c -> new MetricChange(
                            c.metricKey(),
                            c.metricName(),
                            c.change().name(),
                            c.from() == null ? null : c.from().version(),
                            c.to() == null ? null : c.to().version(),
                            c.from() == null || c.to() == null
                                    ? List.of()
                                    : c.from().differences(c.to()).stream()
                                            .map(f -> new DefinitionChange(f.field(), f.from(), f.to()))
                                            .toList(),
                            c.reason(),
                            c.changedBy(),
                            c.changedAt()))
                    .toList();
        }

        /** The relative change the decision's remaining sample is computed for. */
        double minimumDetectableEffect() {
            return settings.minimumDetectableEffect() == null
                    ? Decision.DEFAULT_MDE
                    : settings.minimumDetectableEffect();
        }

        /** The weights of the compared split, by treatment (empty without a split). */
        Map<String, Integer> weights() {
            return split.weights();
        }

        /** The sequential design's tuning: the flag's expected sample when set (DESIGN §5), else the default N*. */
        AnalysisOptions options() {
            return settings.expectedSample() == null
                    ? AnalysisOptions.DEFAULTS
                    : AnalysisOptions.DEFAULTS.withSequentialTuning(settings.expectedSample());
        }

        String describe() {
            StringBuilder s = new StringBuilder(control)
                    .append(treatments)
                    .append(split.source())
                    .append(split.weights())
                    .append(";n*=")
                    .append(settings.expectedSample())
                    .append(";mde=")
                    .append(settings.minimumDetectableEffect());
            success.forEach(a -> s.append(";s:")
                    .append(a.metric().getId())
                    .append('v')
                    .append(a.metric().getVersion())
                    .append('@')
                    .append(a.addedAt()));
            guardrails.forEach(
                    m -> s.append(";g:").append(m.getId()).append('v').append(m.getVersion()));
            changes.forEach(c -> s.append(";c:").append(c.id()));
            return s.toString();
        }
    }

    /** The newest stored run of a flag. */
    record LatestRun(long id, Instant computedAt, String fingerprint) {}

    private final AnalysisQuery query;
    private final FlagMetrics flagMetrics;
    private final MetricRepository metrics;
    private final MetricHistory history;
    private final FlagTreatments treatments;
    private final FlagConfigurationRepository configurations;
    private final ExperimentSplits splits;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    ReportService(
            AnalysisQuery query,
            FlagMetrics flagMetrics,
            MetricRepository metrics,
            MetricHistory history,
            FlagTreatments treatments,
            FlagConfigurationRepository configurations,
            ExperimentSplits splits,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.query = query;
        this.flagMetrics = flagMetrics;
        this.metrics = metrics;
        this.history = history;
        this.treatments = treatments;
        this.configurations = configurations;
        this.splits = splits;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    Setup setup(Environment environment, Flag flag) {
        Optional<FlagConfiguration> configuration =
                configurations.findByFlagIdAndEnvironmentId(flag.getId(), environment.getId());
        List<String> names = treatments.namesOf(flag);
        String control = flagMetrics
                .controlTreatment(flag)
                .or(() -> configuration.map(FlagConfiguration::getOffTreatment))
                .orElse(names.isEmpty() ? "off" : names.get(0));
        ExperimentSettings settings = splits.settings(flag.getId(), environment.getId());
        ExperimentSplit split =
                configuration.map(c -> splits.of(c, settings.splitRule())).orElse(ExperimentSplit.NONE);
        List<FlagMetrics.Attached> success = flagMetrics.successMetrics(flag.getId()).stream()
                .filter(a -> !a.metric().isArchived() && !a.metric().isGuardrail()) // guardrails are listed below
                .toList();
        List<Metric> guardrails = metrics.findByProjectIdAndGuardrailTrueAndArchivedFalse(flag.getProjectId());
        List<ExperimentChange> changes = history.changes(environment.getId(), flag.getId());
        return new Setup(control, names, split, settings, success, guardrails, changes);
    }

    /** The exposure summary of every flag with exposure, by environment id and flag key (one scan of exposures). */
    Map<Long, Map<String, long[]>> exposureSummaries() {
        Map<Long, Map<String, long[]>> all = new LinkedHashMap<>();
        jdbc.query(
                "SELECT environment_id, flag, count(*), min(first_seen), max(first_seen) FROM exposures GROUP BY 1, 2",
                rs -> {
                    all.computeIfAbsent(rs.getLong(1), e -> new LinkedHashMap<>())
                            .put(
                                    rs.getString(2),
                                    new long[] {rs.getLong(3), micros(rs.getTimestamp(4)), micros(rs.getTimestamp(5))});
                });
        return all;
    }

    /** One flag's exposure summary: count, first and last first-exposure (µs), or null without exposure. */
    long[] exposureSummary(long environmentId, String flagKey) {
        return jdbc.query(
                "SELECT count(*), min(first_seen), max(first_seen) FROM exposures WHERE environment_id = ? AND flag = ?",
                rs -> {
                    rs.next();
                    return rs.getLong(1) == 0
                            ? null
                            : new long[] {rs.getLong(1), micros(rs.getTimestamp(2)), micros(rs.getTimestamp(3))};
                },
                environmentId,
                flagKey);
    }

    /**
     * The newest batch of impressions and of events the environment received: any new data for the environment
     * moves it. One index probe each ({@code ingest_batches_arrival}).
     */
    Instant[] watermarks(long environmentId) {
        Instant[] result = new Instant[2];
        int i = 0;
        for (String kind : List.of("impressions", "events")) {
            Timestamp t = jdbc.queryForObject(
                    "SELECT max(received_at) FROM ingest_batches WHERE environment_id = ? AND kind = ?",
                    Timestamp.class,
                    environmentId,
                    kind);
            result[i++] = t == null ? null : t.toInstant();
        }
        return result;
    }

    Inputs inputs(Environment environment, Setup setup, long[] exposure) {
        Instant[] marks = watermarks(environment.getId());
        return new Inputs(
                exposure[0],
                fromMicros(exposure[1]),
                fromMicros(exposure[2]),
                setup.describe(),
                marks[0] + "/" + marks[1]);
    }

    Optional<LatestRun> latestRun(long environmentId, long flagId) {
        return jdbc
                .query(
                        "SELECT id, computed_at, fingerprint FROM analysis_runs WHERE environment_id = ? AND flag_id = ?"
                                + " ORDER BY computed_at DESC, id DESC LIMIT 1",
                        (rs, i) ->
                                new LatestRun(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)),
                        environmentId,
                        flagId)
                .stream()
                .findFirst();
    }

    /**
     * Computes the report now and stores it (when there is exposure).
     *
     * @param exposure the flag's exposure summary if already known, else null (it is read)
     */
    ExperimentReport refresh(Project project, Environment environment, Flag flag, long[] exposure) throws SQLException {
        return refresh(project, environment, flag, exposure, false);
    }

    /**
     * Computes the report now and stores it (when there is exposure).
     *
     * @param exposure the flag's exposure summary if already known, else null (it is read)
     * @param incremental whether the flag's stored per-user state may be used (AnalysisQuery); false recomputes the
     *     state from all events of the window
     */
    ExperimentReport refresh(Project project, Environment environment, Flag flag, long[] exposure, boolean incremental)
            throws SQLException {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Setup setup = setup(environment, flag);
        long[] summary = exposure != null ? exposure : exposureSummary(environment.getId(), flag.getKey());
        if (summary == null) {
            return empty(project, environment, flag, setup, now);
        }
        Inputs inputs = inputs(environment, setup, summary);
        ExperimentReport report = compute(project, environment, flag, setup, inputs.firstExposure(), now, incremental);
        store(environment.getId(), flag.getId(), report, inputs.fingerprint(), System.nanoTime() - started);
        return report;
    }

    /** The report with its day-by-day series ({@link #effectOverTime}). */
    ExperimentReport withEffectOverTime(ExperimentReport report, long environmentId, long flagId) {
        return report.withEffectOverTime(effectOverTime(environmentId, flagId, report.window()));
    }

    /**
     * Per metric and treatment, the last stored result of each day of the window (each analysis is cumulative from
     * the first exposure, so a day's last one is the effect as of that day). One index range scan
     * ({@code analysis_results_history}).
     */
    List<EffectOverTime> effectOverTime(long environmentId, long flagId, Window window) {
        if (window.from() == null) {
            return List.of();
        }
        Map<String, List<DailyEffect>> series = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT DISTINCT ON (day, metric, treatment) (computed_at AT TIME ZONE 'UTC')::date AS day, computed_at,
                       metric, treatment, result::text
                FROM analysis_results
                WHERE environment_id = ? AND flag_id = ? AND computed_at >= ? AND computed_at <= ?
                ORDER BY day, metric, treatment, computed_at DESC
                """,
                rs -> {
                    series.computeIfAbsent(rs.getString(3) + "\u0000" + rs.getString(4), k -> new ArrayList<>())
                            .add(new DailyEffect(
                                    rs.getObject(1, java.time.LocalDate.class),
                                    rs.getTimestamp(2).toInstant(),
                                    json.readValue(rs.getString(5), TreatmentView.class)));
                },
                environmentId,
                flagId,
                window.from().atOffset(ZoneOffset.UTC),
                window.to().atOffset(ZoneOffset.UTC));
        List<EffectOverTime> all = new ArrayList<>();
        series.forEach((k, days) -> {
            String[] parts = k.split("\u0000", 2);
            all.add(new EffectOverTime(parts[0], parts[1], days));
        });
        return all;
    }

    ExperimentReport empty(Project project, Environment environment, Flag flag, Setup setup, Instant now) {
        List<MetricReport> headers = metricHeaders(setup, null);
        return decided(
                new ExperimentReport(
                        project.getKey(),
                        environment.getKey(),
                        flag.getKey(),
                        now,
                        new Window(null, now),
                        setup.control(),
                        NO_EXPOSURE,
                        List.of(),
                        0,
                        new Srm(
                                SrmStatus.NOT_ENOUGH_DATA.name(),
                                null,
                                null,
                                null,
                                0,
                                false,
                                setup.split().source()),
                        headers,
                        setup.split(),
                        0L,
                        true,
                        null,
                        null,
                        setup.changeViews()),
                setup);
    }

    private static ExperimentReport decided(ExperimentReport report, Setup setup) {
        return report.withDecision(Decision.of(report, setup.minimumDetectableEffect()));
    }

    ExperimentReport compute(
            Project project,
            Environment environment,
            Flag flag,
            Setup setup,
            Instant firstExposure,
            Instant now,
            boolean incremental)
            throws SQLException {
        List<MetricReport> headers = metricHeaders(setup, firstExposure);
        List<MetricDefinition> definitions = new ArrayList<>();
        List<MetricInput> inputs = new ArrayList<>();
        for (MetricReport h : headers) {
            Metric m = metricOf(setup, h.key(), h.guardrail());
            definitions.add(m.definition());
            inputs.add(new MetricInput(m.getEventType(), m.getAggregation(), m.isCuped()));
        }
        String splitLabel = setup.split().label();
        Aggregates aggregates = query.aggregate(
                environment.getId(),
                flag.getId(),
                flag.getKey(),
                inputs.isEmpty() ? List.of(new MetricInput("", Aggregation.COUNT, false)) : inputs,
                firstExposure,
                now,
                splitLabel,
                setup.describe(),
                incremental);

        // Arms: control first, then the flag's treatments in their order, then anything else observed.
        Map<String, ArmCount> observed = new LinkedHashMap<>();
        aggregates.arms().forEach(a -> observed.put(a.treatment(), a));
        Set<String> order = new LinkedHashSet<>();
        order.add(setup.control());
        setup.treatments().stream().filter(observed::containsKey).forEach(order::add);
        order.addAll(observed.keySet());
        // Compared: the treatments with randomised users (an arm of fixed-rule users only is counted, not compared).
        List<String> compared = order.stream()
                .filter(t -> !t.equals(setup.control())
                        && observed.containsKey(t)
                        && observed.get(t).splitUsers() > 0)
                .toList();

        SrmCheck srm = srm(setup, order, observed);
        List<ArmView> arms = order.stream()
                .map(t -> new ArmView(
                        t,
                        t.equals(setup.control()),
                        observed.containsKey(t) ? observed.get(t).splitUsers() : 0,
                        srm.shares().get(t),
                        observed.containsKey(t)
                                ? observed.get(t).users() - observed.get(t).splitUsers()
                                : 0L))
                .toList();
        long notRandomised = observed.values().stream()
                .mapToLong(a -> a.users() - a.splitUsers())
                .sum();
        boolean trustworthy = !srm.view().mismatch();

        long confirmatory =
                headers.stream().filter(h -> !h.guardrail() && !h.exploratory()).count();
        ExperimentAnalyzer family = new ExperimentAnalyzer(
                setup.options().withBonferroni((int) confirmatory, Math.max(1, compared.size())));
        ExperimentAnalyzer alone = new ExperimentAnalyzer(setup.options());

        List<MetricReport> reports = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            MetricReport header = headers.get(i);
            Map<String, SufficientStatistics> stats = aggregates.statistics().get(i);
            Arm control = new Arm(setup.control(), stats.getOrDefault(setup.control(), SufficientStatistics.EMPTY));
            List<Arm> others = compared.stream()
                    .map(t -> new Arm(t, stats.getOrDefault(t, SufficientStatistics.EMPTY)))
                    .toList();
            ExperimentAnalyzer analyzer = header.exploratory() ? alone : family;
            MetricResult result = analyzer.analyze(definitions.get(i), control, others);
            List<TreatmentView> views =
                    result.treatments().stream().map(TreatmentView::of).toList();
            if (!trustworthy) {
                views = views.stream().map(ReportService::withheld).toList();
            }
            reports.add(header.withTreatments(views));
        }
        return decided(
                new ExperimentReport(
                        project.getKey(),
                        environment.getKey(),
                        flag.getKey(),
                        now,
                        new Window(firstExposure, now),
                        setup.control(),
                        message(setup, compared, trustworthy),
                        arms,
                        aggregates.excludedUsers(),
                        srm.view(),
                        reports,
                        setup.split(),
                        notRandomised,
                        trustworthy,
                        null,
                        null,
                        setup.changeViews()),
                setup);
    }

    private static String message(Setup setup, List<String> compared, boolean trustworthy) {
        if (!setup.split().exists()) {
            return NO_SPLIT;
        }
        if (!trustworthy) {
            return SRM_WITHHELD;
        }
        return compared.isEmpty()
                ? "Only the control '" + setup.control() + "' has randomised users yet: nothing to compare."
                : null;
    }

    /** A comparison under a sample ratio mismatch: its numbers stay, its verdict is withheld. */
    private static TreatmentView withheld(TreatmentView v) {
        return new TreatmentView(
                v.treatment(),
                v.controlUsers(),
                v.treatmentUsers(),
                v.controlMean(),
                v.treatmentMean(),
                v.absoluteLift(),
                v.relativeLift(),
                v.absolute(),
                v.relative(),
                v.alpha(),
                v.sequential(),
                Verdict.NOT_TRUSTWORTHY.name(),
                v.guardrailStatus(),
                v.cupedTheta(),
                "Not trustworthy: sample ratio mismatch (" + v.summary() + ")");
    }

    private record SrmCheck(Srm view, Map<String, Double> shares) {}

    /**
     * The randomised users of each arm against the compared split's weights (a rule's split with unequal weights
     * too). Without a split nobody was randomised: {@code NO_SPLIT}.
     */
    private static SrmCheck srm(Setup setup, Set<String> order, Map<String, ArmCount> observed) {
        if (!setup.split().exists()) {
            return new SrmCheck(
                    new Srm(
                            "NO_SPLIT",
                            null,
                            null,
                            null,
                            0,
                            false,
                            setup.split().source()),
                    Map.of());
        }
        List<String> arms = new ArrayList<>(order);
        setup.weights().keySet().stream().filter(t -> !arms.contains(t)).forEach(arms::add);
        long[] counts = new long[arms.size()];
        double[] weights = new double[arms.size()];
        double total = 0;
        for (int i = 0; i < arms.size(); i++) {
            ArmCount a = observed.get(arms.get(i));
            counts[i] = a == null ? 0 : a.splitUsers();
            weights[i] = setup.weights().getOrDefault(arms.get(i), 0);
            total += weights[i];
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < arms.size(); i++) {
            if (weights[i] > 0) {
                shares.put(arms.get(i), weights[i] / total);
            }
        }
        SrmResult r = SampleRatioTest.test(counts, weights);
        return new SrmCheck(
                new Srm(
                        r.status().name(),
                        ExperimentReport.finite(r.pValue()),
                        ExperimentReport.finite(r.chiSquare()),
                        ExperimentReport.finite(r.chiSquarePValue()),
                        r.degreesOfFreedom(),
                        r.status() == SrmStatus.MISMATCH,
                        setup.split().source()),
                shares);
    }

    /**
     * Confirmatory success metrics, exploratory ones (attached after the start, or redefined since), then guardrails;
     * without results yet.
     */
    private static List<MetricReport> metricHeaders(Setup setup, Instant firstExposure) {
        List<MetricReport> confirmatory = new ArrayList<>();
        List<MetricReport> exploratory = new ArrayList<>();
        for (FlagMetrics.Attached a : setup.success()) {
            boolean late = firstExposure != null && a.addedAt().isAfter(firstExposure);
            MetricReport header = header(a.metric(), late, a.addedAt(), setup);
            (header.exploratory() ? exploratory : confirmatory).add(header);
        }
        List<MetricReport> all = new ArrayList<>(confirmatory);
        all.addAll(exploratory);
        setup.guardrails().forEach(m -> all.add(header(m, false, null, setup)));
        return all;
    }

    /**
     * A metric's row: exploratory when attached after the start ({@code late}) or when its definition now differs from
     * the one the experiment started with (a later version; reverting to the start's definition makes it
     * confirmatory again, since that is the question asked before the start).
     */
    private static MetricReport header(Metric m, boolean late, Instant addedAt, Setup setup) {
        Optional<MetricVersion> start = setup.startDefinition(m);
        boolean redefined = start.isPresent() && !start.get().sameDefinitionAs(m);
        String summary;
        if (redefined) {
            summary = m.getName() + ": redefined after start (version "
                    + start.get().version() + " → "
                    + m.getDefinitionVersion() + ", exploratory); "
                    + (m.isGuardrail() ? "it can stop a ship but not clear one." : "not part of the decision.");
        } else if (late) {
            summary = m.getName() + ": added after start (exploratory); not part of the decision.";
        } else {
            summary = m.getName() + ": no comparison yet.";
        }
        return new MetricReport(
                m.getKey(),
                m.getName(),
                m.getEventType(),
                m.getAggregation().name(),
                m.getDirection().name(),
                m.isGuardrail(),
                late || redefined,
                addedAt,
                m.getDefinitionVersion(),
                start.map(MetricVersion::version).orElse(null),
                redefined,
                summary,
                List.of());
    }

    private static Metric metricOf(Setup setup, String key, boolean guardrail) {
        if (guardrail) {
            return setup.guardrails().stream()
                    .filter(m -> m.getKey().equals(key))
                    .findFirst()
                    .orElseThrow();
        }
        return setup.success().stream()
                .map(FlagMetrics.Attached::metric)
                .filter(m -> m.getKey().equals(key))
                .findFirst()
                .orElseThrow();
    }

    /** Stores the run (header) and one row per metric × treatment, in one transaction. */
    void store(long environmentId, long flagId, ExperimentReport report, String fingerprint, long nanos) {
        ExperimentReport header = report.withMetrics(
                report.metrics().stream().map(m -> m.withTreatments(List.of())).toList());
        OffsetDateTime at = report.computedAt().atOffset(ZoneOffset.UTC);
        transactions.executeWithoutResult(status -> {
            Long runId = jdbc.queryForObject(
                    "INSERT INTO analysis_runs (environment_id, flag_id, computed_at, window_from, window_to,"
                            + " fingerprint, duration_millis, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
                            + " RETURNING id",
                    Long.class,
                    environmentId,
                    flagId,
                    at,
                    report.window().from() == null
                            ? null
                            : report.window().from().atOffset(ZoneOffset.UTC),
                    report.window().to().atOffset(ZoneOffset.UTC),
                    fingerprint,
                    (int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(nanos).toMillis()),
                    json.writeValueAsString(header));
            List<Object[]> rows = new ArrayList<>();
            int ordinal = 0;
            for (MetricReport m : report.metrics()) {
                for (TreatmentView t : m.treatments()) {
                    rows.add(new Object[] {
                        runId, environmentId, flagId, at, ordinal++, m.key(), t.treatment(), json.writeValueAsString(t)
                    });
                }
            }
            jdbc.batchUpdate(
                    "INSERT INTO analysis_results (run_id, environment_id, flag_id, computed_at, ordinal, metric,"
                            + " treatment, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
                    rows);
        });
    }

    /** The stored report of a run, reassembled from its header and its rows. */
    ExperimentReport load(long runId) {
        String header = jdbc.queryForObject("SELECT report::text FROM analysis_runs WHERE id = ?", String.class, runId);
        ExperimentReport report = json.readValue(header, ExperimentReport.class);
        Map<String, List<TreatmentView>> byMetric = new LinkedHashMap<>();
        jdbc.query(
                "SELECT metric, result::text FROM analysis_results WHERE run_id = ? ORDER BY ordinal",
                rs -> {
                    byMetric.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(json.readValue(rs.getString(2), TreatmentView.class));
                },
                runId);
        return report.withMetrics(report.metrics().stream()
                .map(m -> m.withTreatments(byMetric.getOrDefault(m.key(), List.of())))
                .toList());
    }

    private static long micros(Timestamp t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
    }

    private static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }
}
