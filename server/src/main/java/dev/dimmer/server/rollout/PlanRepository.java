package dev.dimmer.server.rollout;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollout plans and their transitions in PostgreSQL. The scheduler claims a plan with {@code FOR UPDATE SKIP LOCKED}
 * ({@link #claim}), so of several replicas exactly one steps a plan at a time and the others pass it by; a person's
 * action waits for the row instead ({@link #lock}).
 */
@Repository
class PlanRepository {

    /** A stage as stored in {@code rollout_plans.stages} and shown by the API. */
    record StageJson(
            String name,
            List<String> segments,
            int weight,
            String minDuration,
            long minSamplePerArm,
            boolean requiresApproval) {

        static StageJson of(Stage s) {
            return new StageJson(
                    s.name(),
                    s.segments(),
                    s.weight(),
                    s.minDuration().toString(),
                    s.minSamplePerArm(),
                    s.requiresApproval());
        }

        Stage toStage() {
            return new Stage(name, segments, weight, Duration.parse(minDuration), minSamplePerArm, requiresApproval);
        }
    }

    private static final TypeReference<List<StageJson>> STAGES = new TypeReference<>() {};

    private static final String SELECT = "SELECT p.id, p.flag_id, p.environment_id, pr.key AS project_key,"
            + " e.key AS environment_key, f.key AS flag_key, f.owner_team, p.treatment, p.control, p.stages::text,"
            + " p.on_breach, p.require_non_inferiority, p.status, p.current_stage, p.stage_started_at,"
            + " p.approved_stages, p.awaiting_approval, p.status_reason, p.version, p.created_by, p.created_at,"
            + " p.updated_at FROM rollout_plans p JOIN flags f ON f.id = p.flag_id"
            + " JOIN environments e ON e.id = p.environment_id JOIN projects pr ON pr.id = f.project_id";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<RolloutPlan> mapper = this::map;

    PlanRepository(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The plan in progress for the flag in the environment, else the newest finished one. */
    Optional<RolloutPlan> current(long flagId, long environmentId) {
        return jdbc
                .query(
                        SELECT + " WHERE p.flag_id = ? AND p.environment_id = ?"
                                + " ORDER BY (p.status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'HALTED')) DESC, p.id DESC"
                                + " LIMIT 1",
                        mapper,
                        flagId,
                        environmentId)
                .stream()
                .findFirst();
    }

    /** The plan, its row locked until the transaction ends (waits for a step in progress). */
    Optional<RolloutPlan> lock(long id) {
        return jdbc.query(SELECT + " WHERE p.id = ? FOR UPDATE OF p", mapper, id).stream()
                .findFirst();
    }

    /**
     * The plan if it is active and no one else holds it, its row locked until the transaction ends; empty when another
     * replica (or a person's action) is on it, or it is no longer active.
     */
    Optional<RolloutPlan> claim(long id) {
        return jdbc
                .query(SELECT + " WHERE p.id = ? AND p.status = 'ACTIVE' FOR UPDATE OF p SKIP LOCKED", mapper, id)
                .stream()
                .findFirst();
    }

    List<Long> activeIds() {
        return jdbc.queryForList("SELECT id FROM rollout_plans WHERE status = 'ACTIVE' ORDER BY id", Long.class);
    }

    long insert(long flagId, long environmentId, PlanDefinition definition, String createdBy, Instant now) {
        return jdbc.queryForObject(
                "INSERT INTO rollout_plans (flag_id, environment_id, treatment, control, stages, on_breach,"
                        + " require_non_inferiority, status, created_by, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, 'DRAFT', ?, ?, ?) RETURNING id",
                Long.class,
                flagId,
                environmentId,
                definition.treatment(),
                definition.control(),
                stagesJson(definition.stages()),
                definition.onBreach().name(),
                definition.requireNonInferiority(),
                createdBy,
                at(now),
                at(now));
    }

    /** Replaces a draft's definition. */
    void redefine(long id, PlanDefinition definition, Instant now) {
        jdbc.update(
                "UPDATE rollout_plans SET treatment = ?, control = ?, stages = ?::jsonb, on_breach = ?,"
                        + " require_non_inferiority = ?, version = version + 1, updated_at = ? WHERE id = ?",
                definition.treatment(),
                definition.control(),
                stagesJson(definition.stages()),
                definition.onBreach().name(),
                definition.requireNonInferiority(),
                at(now),
                id);
    }

    /** Writes the plan's state (status, stage, approvals, reason); the definition never changes once started. */
    void saveState(RolloutPlan plan, Instant now) {
        jdbc.update(
                "UPDATE rollout_plans SET status = ?, current_stage = ?, stage_started_at = ?, approved_stages = ?,"
                        + " awaiting_approval = ?, status_reason = ?, version = version + 1, updated_at = ?"
                        + " WHERE id = ?",
                plan.status().name(),
                plan.currentStage(),
                plan.stageStartedAt() == null ? null : at(plan.stageStartedAt()),
                new TreeSet<>(plan.approvedStages()).toArray(Integer[]::new),
                plan.awaitingApproval(),
                plan.statusReason(),
                at(now),
                plan.id());
    }

    void insertTransition(PlanTransition t) {
        jdbc.update(
                "INSERT INTO rollout_plan_transitions (plan_id, at, actor, kind, from_stage, to_stage, status, reason,"
                        + " configuration_version, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
                t.planId(),
                at(t.at()),
                t.actor(),
                t.kind().name(),
                t.fromStage(),
                t.toStage(),
                t.status().name(),
                t.reason(),
                t.configurationVersion(),
                t.evidence() == null ? null : json.writeValueAsString(t.evidence()));
    }

    /** The plan's transitions, oldest first. */
    List<PlanTransition> transitions(RolloutPlan plan) {
        return jdbc.query(
                "SELECT at, actor, kind, from_stage, to_stage, status, reason, configuration_version, evidence::text"
                        + " FROM rollout_plan_transitions WHERE plan_id = ? ORDER BY id",
                (rs, i) -> {
                    int to = rs.getInt("to_stage");
                    String evidence = rs.getString("evidence");
                    Long version = rs.getObject("configuration_version", Long.class);
                    return new PlanTransition(
                            plan.id(),
                            plan.project(),
                            plan.environment(),
                            plan.flag(),
                            plan.ownerTeam(),
                            PlanTransition.Kind.valueOf(rs.getString("kind")),
                            rs.getInt("from_stage"),
                            to,
                            to < 0 || to >= plan.stages().size()
                                    ? null
                                    : plan.stages().get(to).name(),
                            PlanStatus.valueOf(rs.getString("status")),
                            rs.getString("actor"),
                            rs.getString("reason"),
                            version,
                            rs.getTimestamp("at").toInstant(),
                            evidence == null ? null : json.readValue(evidence, Evidence.class));
                },
                plan.id());
    }

    private String stagesJson(List<Stage> stages) {
        return json.writeValueAsString(stages.stream().map(StageJson::of).toList());
    }

    private RolloutPlan map(ResultSet rs, int row) throws SQLException {
        List<Stage> stages = json.readValue(rs.getString("stages"), STAGES).stream()
                .map(StageJson::toStage)
                .toList();
        return new RolloutPlan(
                rs.getLong("id"),
                rs.getLong("flag_id"),
                rs.getLong("environment_id"),
                rs.getString("project_key"),
                rs.getString("environment_key"),
                rs.getString("flag_key"),
                rs.getString("owner_team"),
                rs.getString("treatment"),
                rs.getString("control"),
                stages,
                BreachAction.valueOf(rs.getString("on_breach")),
                rs.getBoolean("require_non_inferiority"),
                PlanStatus.valueOf(rs.getString("status")),
                rs.getInt("current_stage"),
                instant(rs.getTimestamp("stage_started_at")),
                integers(rs.getArray("approved_stages")),
                rs.getBoolean("awaiting_approval"),
                rs.getString("status_reason"),
                rs.getLong("version"),
                rs.getString("created_by"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    private static Set<Integer> integers(Array array) throws SQLException {
        return array == null ? Set.of() : Set.copyOf(Arrays.asList((Integer[]) array.getArray()));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static java.time.OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
