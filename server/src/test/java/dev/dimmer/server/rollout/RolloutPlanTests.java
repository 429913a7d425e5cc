package dev.dimmer.server.rollout;

import static dev.dimmer.server.rollout.PlanApi.history;
import static dev.dimmer.server.rollout.PlanApi.plan;
import static dev.dimmer.server.rollout.PlanApi.share;
import static dev.dimmer.server.rollout.PlanApi.stage;
import static dev.dimmer.server.rollout.PlanApi.status;
import static dev.dimmer.server.rollout.PlanApi.treatmentWeight;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.rollout.PlanTransition.Kind;
import dev.dimmer.server.rollout.Traffic.Behaviour;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Rollout plans end to end: synthetic users of a service embedding the real SDK, the real ingestion API, the real
 * analysis job and plan scheduler on short intervals set by configuration.
 */
@GuardrailsIntegrationTest
class RolloutPlanTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RecordedEvents events;

    @Autowired
    PlanScheduler scheduler;

    Api admin;
    String project;
    String sdkKey;
    PlanApi plans;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        sdkKey = IngestFixtures.sdkKey(admin, project, "production");
        plans = new PlanApi(admin, project, "production");
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/metrics",
                        Map.of(
                                "key", "errors",
                                "name", "Checkout errors",
                                "eventType", "error",
                                "aggregation", "COUNT",
                                "direction", "DECREASE",
                                "guardrail", true,
                                "margin", 0.02,
                                "killThreshold", 0.5)),
                201);
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/metrics",
                        Map.of(
                                "key", "latency",
                                "name", "Checkout latency",
                                "eventType", "latency",
                                "aggregation", "AVERAGE",
                                "direction", "DECREASE",
                                "guardrail", true,
                                "margin", 0.5)),
                201);
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/environments/production/segments",
                        Map.of("key", "dev-team", "keys", List.of("dev-1", "dev-2"))),
                201);
    }

    @Test
    void aHealthyFlagRampsStageByStageTo100Percent_whileSickOnesAreRolledBackOrKilled() throws Exception {
        for (String flag : List.of("healthy", "sick-rollback", "sick-kill")) {
            Fixtures.flag(admin, project, flag);
        }
        plans.define(
                "healthy",
                plan(
                        "ROLLBACK",
                        List.of(
                                stage("dev team", List.of("dev-team"), 0, "PT0S", 0, false),
                                stage(1000, "PT1S", 30),
                                stage(2500, "PT1S", 60),
                                stage(5000, "PT1S", 120),
                                stage(10_000, "PT0S", 0))));
        plans.define("sick-rollback", plan("ROLLBACK", List.of(stage(2000, "PT0S", 0), stage(5000, "PT1H", 100))));
        plans.define("sick-kill", plan("KILL", List.of(stage(5000, "PT1H", 100))));
        long healthyId = plans.start("healthy").get("id").asLong();
        long rollbackId = plans.start("sick-rollback").get("id").asLong();
        long killId = plans.start("sick-kill").get("id").asLong();

        JsonNode healthy;
        JsonNode rolledBack;
        JsonNode killed;
        try (Traffic traffic = new Traffic(port, sdkKey)) {
            traffic.start("healthy", "h", Behaviour.healthy(), 10, 4000, List.of("dev-1", "dev-2"));
            traffic.start("sick-rollback", "r", Behaviour.failing(), 10, 2000, List.of());
            traffic.start("sick-kill", "k", Behaviour.failing(), 10, 2000, List.of());

            rolledBack = plans.await("sick-rollback", "halted", Duration.ofMinutes(8), status("HALTED"));
            killed = plans.await("sick-kill", "halted", Duration.ofMinutes(8), status("HALTED"));
            healthy = plans.await("healthy", "completed", Duration.ofMinutes(10), status("COMPLETED"));

            // The SDK in the service follows every step by streaming: the rollback to 20 %, the kill, the ramp to 100
            // %.
            awaitShareOn(traffic, "sick-rollback", 0.1, 0.3);
            EvaluationResult afterKill = traffic.client().getTreatment("sick-kill", "probe");
            assertThat(afterKill.treatment()).isEqualTo("off");
            assertThat(afterKill.label()).isEqualTo("killed");
            awaitShareOn(traffic, "healthy", 1.0, 1.0);
        }

        // Healthy: every stage in order, each after its minimum duration and sample, then completed at 100 %.
        assertThat(history(healthy))
                .containsExactly(
                        "STARTED -1→0",
                        "ADVANCED 0→1",
                        "ADVANCED 1→2",
                        "ADVANCED 2→3",
                        "ADVANCED 3→4",
                        "COMPLETED 4→4");
        List<JsonNode> steps = new ArrayList<>();
        healthy.get("transitions").forEach(steps::add);
        long[] minSample = {0, 30, 60, 120, 0};
        long[] minMillis = {0, 1000, 1000, 1000, 0};
        for (int i = 1; i < steps.size(); i++) {
            int left = steps.get(i).get("fromStage").asInt();
            Duration stayed = Duration.between(
                    Instant.parse(steps.get(i - 1).get("at").asString()),
                    Instant.parse(steps.get(i).get("at").asString()));
            assertThat(stayed.toMillis()).as("time at stage %d", left).isGreaterThanOrEqualTo(minMillis[left]);
            if (minSample[left] > 0) {
                JsonNode evidence = steps.get(i).get("evidence");
                assertThat(evidence.get("usersPerArm").get("on").asLong())
                        .as("treatment users when leaving stage %d", left)
                        .isGreaterThanOrEqualTo(minSample[left]);
                for (JsonNode g : evidence.get("guardrails")) {
                    assertThat(g.get("status").asString()).isNotIn("BREACHED", "SEVERE");
                }
            }
        }
        JsonNode healthyConfig = plans.configuration("healthy");
        assertThat(treatmentWeight(healthyConfig, "on")).isEqualTo(10_000);
        assertThat(healthyConfig.get("trafficAllocation").asInt()).isEqualTo(10_000);
        assertThat(healthyConfig.get("enabled").asBoolean()).isTrue();
        assertThat(healthyConfig.get("rules").get(0).get("id").asString()).isEqualTo("rollout-plan");
        assertThat(healthyConfig
                        .get("rules")
                        .get(0)
                        .get("conditions")
                        .get(0)
                        .get("values")
                        .get(0)
                        .asString())
                .isEqualTo("dev-team");
        // Each configuration change is a normal audited change by plan:<id>: the start and four advances.
        assertThat(configurationChangesBy("plan:" + healthyId, "healthy")).isEqualTo(5);

        // Sick, rollback policy: went to 50 %, breached the error guardrail, back to 20 % and halted.
        assertThat(history(rolledBack)).containsExactly("STARTED -1→0", "ADVANCED 0→1", "ROLLED_BACK 1→0");
        assertThat(rolledBack.get("currentStage").asInt()).isZero();
        JsonNode rolledBackConfig = plans.configuration("sick-rollback");
        assertThat(share(rolledBackConfig, "on")).isEqualTo(2000);
        assertThat(rolledBackConfig.get("trafficAllocation").asInt())
                .as("20% treatment, 20% control, randomised")
                .isEqualTo(4000);
        JsonNode rollback = last(rolledBack.get("transitions"));
        assertThat(breachedMetrics(rollback.get("evidence"))).contains("errors");
        assertThat(rollback.get("reason").asString())
                .contains("rolled back", "always-valid 95% CI")
                .containsAnyOf("errors BREACHED", "errors SEVERE");
        assertThat(rollback.get("actor").asString()).isEqualTo("plan:" + rollbackId);

        // Sick, kill policy: killed through the same service as a person's kill, audited as plan:<id>.
        assertThat(history(killed)).containsExactly("STARTED -1→0", "KILLED 0→0");
        assertThat(plans.configuration("sick-kill").get("killed").asBoolean()).isTrue();
        assertThat(breachedMetrics(last(killed.get("transitions")).get("evidence")))
                .contains("errors");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_entries WHERE project = ? AND flag = 'sick-kill' AND action = 'kill'"
                                + " AND actor = ?",
                        Long.class,
                        project,
                        "plan:" + killId))
                .isEqualTo(1);

        // Each transition was published as an application event, inside its transaction, for the owning team.
        for (long id : List.of(healthyId, rollbackId, killId)) {
            List<PlanTransition> published = events.of(id);
            JsonNode plan = id == healthyId ? healthy : id == rollbackId ? rolledBack : killed;
            assertThat(published.stream()
                            .map(t -> t.kind() + " " + t.fromStage() + "→" + t.toStage())
                            .toList())
                    .isEqualTo(history(plan));
            assertThat(published).allSatisfy(t -> assertThat(t.ownerTeam()).isEqualTo("checkout"));
        }
        assertThat(events.of(rollbackId).get(2).kind()).isEqualTo(Kind.ROLLED_BACK);
        // The examples in docs/guardrails.md come from here.
        System.out.println("example ROLLED_BACK event: "
                + tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .writeValueAsString(events.of(rollbackId).get(2)));
        System.out.println("example completed plan: " + healthy);
        assertThat(events.of(rollbackId).get(2).evidence().guardrails())
                .anySatisfy(g -> assertThat(g.status()).isIn("BREACHED", "SEVERE"));
    }

    @Test
    void aSampleRatioMismatchHaltsThePlanWithoutChangingTheConfiguration() throws Exception {
        Fixtures.flag(admin, project, "srm");
        plans.define("srm", plan("ROLLBACK", List.of(stage(5000, "PT1H", 100), stage(10_000, "PT0S", 0))));
        plans.start("srm");
        long versionAtStart = plans.configuration("srm").get("version").asLong();
        JsonNode halted;
        try (Traffic traffic = new Traffic(port, sdkKey)) {
            traffic.start("srm", "s", Behaviour.healthy(), 10, 2000, List.of());
            // A broken logger (or a bot) doubles the control's impressions: 400 extra users who only ever see "off".
            Api sdk = admin.as(sdkKey);
            List<Object> bogus = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < 400; i++) {
                bogus.add(IngestFixtures.impression("srm", "bot-" + i, "off", "default rule", now));
            }
            expect(
                    sdk.post(
                            "/api/sdk/v1/impressions",
                            IngestFixtures.impressions(UUID.randomUUID().toString(), bogus)),
                    202);
            halted = plans.await("srm", "halted", Duration.ofMinutes(8), status("HALTED"));
        }
        assertThat(history(halted)).containsExactly("STARTED -1→0", "HALTED 0→0");
        JsonNode step = last(halted.get("transitions"));
        assertThat(step.get("reason").asString()).contains("sample ratio mismatch");
        assertThat(step.get("evidence").get("srmStatus").asString()).isEqualTo("MISMATCH");
        assertThat(step.get("configurationVersion").isNull()).isTrue();
        assertThat(plans.configuration("srm").get("version").asLong()).isEqualTo(versionAtStart);
    }

    @Test
    void aStageThatRequiresApprovalWaitsForAPerson_thenTheRampGoesOn() throws Exception {
        Fixtures.flag(admin, project, "gated");
        plans.define(
                "gated",
                plan(
                        "ROLLBACK",
                        List.of(
                                stage(1000, "PT0S", 0),
                                stage("half", List.of(), 5000, "PT0S", 0, true),
                                stage(10_000, "PT0S", 0))));
        long id = plans.start("gated").get("id").asLong();

        JsonNode waiting = plans.await(
                "gated",
                "waiting for approval",
                Duration.ofSeconds(60),
                p -> p.get("awaitingApproval").asBoolean());
        for (int i = 0; i < 3; i++) {
            scheduler.runOnce(); // more checks change nothing: the gate is a person
        }
        JsonNode still = plans.get("gated");
        assertThat(still.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(still.get("currentStage").asInt()).isZero();
        assertThat(history(still)).containsExactly("STARTED -1→0", "AWAITING_APPROVAL 0→0");
        assertThat(share(plans.configuration("gated"), "on")).isEqualTo(1000);
        assertThat(last(waiting.get("transitions")).get("reason").asString()).contains("'half'", "approval");

        JsonNode approved = expect(
                        admin.withHeader("X-Dimmer-Comment", "dashboards look fine")
                                .post(plans.path("gated") + "/approve", Map.of("stage", 1)),
                        200)
                .json();
        assertThat(approved.get("stages").get(1).get("approved").asBoolean()).isTrue();

        JsonNode done = plans.await("gated", "completed", Duration.ofSeconds(60), status("COMPLETED"));
        assertThat(history(done))
                .containsExactly(
                        "STARTED -1→0",
                        "AWAITING_APPROVAL 0→0",
                        "APPROVED 0→0",
                        "ADVANCED 0→1",
                        "ADVANCED 1→2",
                        "COMPLETED 2→2");
        JsonNode approval = done.get("transitions").get(2);
        assertThat(approval.get("actor").asString()).startsWith("token:");
        assertThat(approval.get("reason").asString()).contains("dashboards look fine");
        assertThat(events.of(id)).extracting(PlanTransition::kind).contains(Kind.AWAITING_APPROVAL, Kind.APPROVED);
    }

    @Test
    void aHandEditOfWhatThePlanOwnsPausesIt_otherEditsDoNot_andResumeAppliesTheStageAgain() throws Exception {
        Fixtures.flag(admin, project, "edited");
        plans.define("edited", plan("ROLLBACK", List.of(stage(1000, "PT1H", 100), stage(10_000, "PT0S", 0))));
        plans.start("edited");

        // A person adds a rule of their own: not the plan's business, the plan goes on.
        JsonNode config = plans.configuration("edited");
        List<Object> rules = new ArrayList<>();
        config.get("rules").forEach(rules::add);
        rules.add(Map.of(
                "id",
                "nordics",
                "conditions",
                List.of(Map.of("attribute", "country", "operator", "IN", "values", List.of("NO"))),
                "serve",
                Map.of("treatment", "off")));
        Map<String, Object> withNordics = configurationWith(config, rules, config.get("defaultServe"));
        Fixtures.configure(admin, project, "production", "edited", withNordics);
        scheduler.runOnce();
        assertThat(plans.get("edited").get("status").asString()).isEqualTo("ACTIVE");

        // A person changes the percentage by hand: the plan stops and does not overwrite it.
        config = plans.configuration("edited");
        Map<String, Object> thirty = configurationWith(
                config,
                config.get("rules"),
                Map.of(
                        "split",
                        List.of(
                                Map.of("treatment", "on", "weight", 3000),
                                Map.of("treatment", "off", "weight", 7000))));
        Fixtures.configure(admin, project, "production", "edited", thirty);
        JsonNode paused = plans.await("edited", "paused", Duration.ofSeconds(60), status("PAUSED"));
        assertThat(paused.get("statusReason").asString())
                .contains("changed outside the plan", "defaultServe was changed", "token:");
        assertThat(treatmentWeight(plans.configuration("edited"), "on")).isEqualTo(3000);
        assertThat(plans.configuration("edited").get("trafficAllocation").asInt())
                .isEqualTo(2000);

        // Resuming is the person's decision: the stage is applied again, the other rule stays.
        JsonNode resumed = plans.action("edited", "resume", null);
        assertThat(resumed.get("status").asString()).isEqualTo("ACTIVE");
        JsonNode after = plans.configuration("edited");
        assertThat(share(after, "on")).isEqualTo(1000);
        assertThat(treatmentWeight(after, "on")).isEqualTo(5000);
        assertThat(after.get("rules")).extracting(r -> r.get("id").asString()).contains("nordics");
        JsonNode resume = last(resumed.get("transitions"));
        assertThat(resume.get("kind").asString()).isEqualTo("RESUMED");
        assertThat(resume.get("configurationVersion").asLong())
                .isEqualTo(after.get("version").asLong());
    }

    @Test
    void peoplePauseResumeSkipAndAbort_eachAnAuditedTransition() throws Exception {
        Fixtures.flag(admin, project, "manual");
        plans.define(
                "manual",
                plan("ROLLBACK", List.of(stage(100, "PT1H", 100), stage(1000, "PT1H", 100), stage(5000, "PT1H", 100))));
        plans.start("manual");
        assertThat(plans.action("manual", "pause", null).get("status").asString())
                .isEqualTo("PAUSED");
        assertThat(plans.action("manual", "pause", null).get("status").asString())
                .as("pausing a paused plan is a no-op")
                .isEqualTo("PAUSED");
        assertThat(plans.action("manual", "resume", null).get("status").asString())
                .isEqualTo("ACTIVE");

        JsonNode skipped = plans.action("manual", "skip", Map.of("toStage", 2));
        assertThat(skipped.get("currentStage").asInt()).isEqualTo(2);
        assertThat(share(plans.configuration("manual"), "on")).isEqualTo(5000);
        expect(admin.post(plans.path("manual") + "/skip", Map.of("toStage", 1)), 400);

        expect(admin.put(plans.path("manual"), plan("ROLLBACK", List.of(stage(100, "PT1H", 0)))), 409);
        long versionBeforeAbort = plans.configuration("manual").get("version").asLong();
        JsonNode aborted = plans.action("manual", "abort", null);
        assertThat(aborted.get("status").asString()).isEqualTo("ABORTED");
        assertThat(plans.configuration("manual").get("version").asLong())
                .as("abort leaves the configuration as it is")
                .isEqualTo(versionBeforeAbort);
        expect(admin.post(plans.path("manual") + "/resume", null), 409);
        assertThat(history(aborted))
                .containsExactly("STARTED -1→0", "PAUSED 0→0", "RESUMED 0→0", "SKIPPED 0→2", "ABORTED 2→2");

        // A new plan can be defined once the old one is finished; the old one stays as history.
        JsonNode next = plans.define("manual", plan("ROLLBACK", List.of(stage(10_000, "PT0S", 0))));
        assertThat(next.get("id").asLong()).isNotEqualTo(aborted.get("id").asLong());
        assertThat(next.get("status").asString()).isEqualTo("DRAFT");

        List<String> audited = jdbc.queryForList(
                "SELECT action FROM audit_entries WHERE project = ? AND flag = 'manual' AND entity_type = 'rollout-plan'"
                        + " ORDER BY id",
                String.class,
                project);
        assertThat(audited).containsExactly("define", "started", "paused", "resumed", "skipped", "aborted", "define");
    }

    @Test
    void anInvalidPlanIsRefusedNamingEveryBadField() {
        Fixtures.flag(admin, project, "invalid");
        Api.Response response = admin.put(
                plans.path("invalid"),
                Map.of(
                        "treatment",
                        "maybe",
                        "onBreach",
                        "PANIC",
                        "stages",
                        List.of(
                                stage("dogfood", List.of("nobody"), 500, "PT1H", 0, false),
                                stage(100, "PT1H", 0),
                                stage(1000, "one hour", -1))));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors"))
                .extracting(e -> e.get("pointer").asString())
                .containsExactlyInAnyOrder(
                        "/treatment",
                        "/onBreach",
                        "/stages/0/segments/0",
                        "/stages/1/weight",
                        "/stages/2/minDuration",
                        "/stages/2/minSamplePerArm");
        expect(admin.get(plans.path("invalid")), 404);
        expect(admin.put(plans.path("invalid"), Map.of("stages", List.of())), 400);
    }

    @Test
    void aStepThatFailsAtItsVeryEndLeavesNothingBehind_andIsMadeOnceAtTheNextCheck() throws Exception {
        Fixtures.flag(admin, project, "atomic");
        plans.define("atomic", plan("ROLLBACK", List.of(stage(1000, "PT0S", 0), stage(5000, "PT0S", 0))));
        JsonNode draft = plans.get("atomic");
        long id = draft.get("id").asLong();
        events.failNext(id, Kind.ADVANCED); // the first attempt to advance throws after every write of the step
        long before = plans.configuration("atomic").get("version").asLong();
        plans.start("atomic");

        JsonNode done = plans.await("atomic", "completed", Duration.ofSeconds(60), status("COMPLETED"));
        assertThat(events.failurePending(id, Kind.ADVANCED))
                .as("the injected failure happened")
                .isFalse();
        assertThat(history(done)).containsExactly("STARTED -1→0", "ADVANCED 0→1", "COMPLETED 1→1");
        assertThat(plans.configuration("atomic").get("version").asLong()).isEqualTo(before + 2);
        assertThat(configurationChangesBy("plan:" + id, "atomic")).isEqualTo(2);
    }

    private void awaitShareOn(Traffic traffic, String flag, double low, double high) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double share = -1;
        while (System.nanoTime() < deadline) {
            int on = 0;
            for (int i = 0; i < 1000; i++) {
                if ("on"
                        .equals(traffic.client()
                                .getTreatment(flag, "probe-" + i)
                                .treatment())) {
                    on++;
                }
            }
            share = on / 1000.0;
            if (share >= low && share <= high) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the SDK serves 'on' of '" + flag + "' to " + share + " of users, not within [" + low
                + ", " + high + "]");
    }

    private long configurationChangesBy(String actor, String flag) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM audit_entries WHERE project = ? AND flag = ? AND entity_type = 'flag-configuration'"
                        + " AND actor = ?",
                Long.class,
                project,
                flag,
                actor);
    }

    private static List<String> breachedMetrics(JsonNode evidence) {
        List<String> breached = new ArrayList<>();
        for (JsonNode g : evidence.get("guardrails")) {
            if (List.of("BREACHED", "SEVERE").contains(g.get("status").asString())) {
                breached.add(g.get("metric").asString());
            }
        }
        return breached;
    }

    private static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }

    private static Map<String, Object> configurationWith(JsonNode current, Object rules, Object defaultServe) {
        return Map.of(
                "enabled", current.get("enabled").asBoolean(),
                "offTreatment", current.get("offTreatment").asString(),
                "rules", rules,
                "defaultServe", defaultServe,
                "trafficAllocation", current.get("trafficAllocation").asInt());
    }
}
