package dev.dimmer.server.rollout;

import static dev.dimmer.server.rollout.PlanApi.history;
import static dev.dimmer.server.rollout.PlanApi.plan;
import static dev.dimmer.server.rollout.PlanApi.stage;
import static dev.dimmer.server.rollout.PlanApi.status;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.DimmerApplication;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on one database, both checking plans and running schedules several times a second (and, for plans,
 * four more threads of the test stepping the same plan at once): every step and every scheduled change happens once.
 */
@GuardrailsIntegrationTest
class ReplicasTests {

    static ConfigurableApplicationContext replicaB;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlanStepper stepper;

    @BeforeAll
    static void startReplicaB(
            @Autowired Environment environment, @Value("${spring.datasource.url}") String databaseUrl) {
        replicaB = new SpringApplicationBuilder(DimmerApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + databaseUrl,
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--spring.datasource.hikari.connection-timeout=10000",
                        "--dimmer.analysis.interval=PT1H",
                        "--dimmer.rollout.interval=PT0.1S",
                        "--dimmer.schedules.interval=PT0.1S");
    }

    @AfterAll
    static void stopReplicaB() {
        if (replicaB != null) {
            replicaB.close();
        }
    }

    @Test
    void twoReplicasAndFourMoreThreadsAdvanceAPlanExactlyOnceAStage() throws Exception {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        PlanApi plans = new PlanApi(admin, project, "production");
        Fixtures.flag(admin, project, "raced");
        List<Map<String, Object>> stages = new ArrayList<>();
        for (int w = 500; w <= 5000; w += 500) {
            stages.add(stage(w, "PT0S", 0)); // no gate: every check may take the next step
        }
        plans.define("raced", plan("ROLLBACK", stages));
        long before = plans.configuration("raced").get("version").asLong();
        long id = plans.start("raced").get("id").asLong();

        ExecutorService racers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(racers.submit(() -> {
                for (int i = 0; i < 2000; i++) { // bounded; stops once the plan is done
                    if (stepper.step(id) == PlanStepper.Outcome.SKIPPED
                            && !"ACTIVE"
                                    .equals(jdbc.queryForObject(
                                            "SELECT status FROM rollout_plans WHERE id = ?", String.class, id))) {
                        return;
                    }
                }
            }));
        }
        JsonNode done = plans.await("raced", "completed", Duration.ofMinutes(3), status("COMPLETED"));
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        racers.shutdown();

        List<String> expected = new ArrayList<>(List.of("STARTED -1→0"));
        for (int s = 0; s < 9; s++) {
            expected.add("ADVANCED " + s + "→" + (s + 1));
        }
        expected.add("COMPLETED 9→9");
        assertThat(history(done)).isEqualTo(expected);
        assertThat(plans.configuration("raced").get("version").asLong()).isEqualTo(before + 10);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_entries WHERE entity_type = 'flag-configuration' AND actor = ?",
                        Long.class,
                        "plan:" + id))
                .isEqualTo(10);
    }

    @Test
    void scheduledChangesDueAtOnceRunOnceEach_acrossReplicas() throws Exception {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        Instant runAt = Instant.now().plusSeconds(3);
        Map<Long, Long> baseVersions = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String flag = "f" + i;
            Fixtures.flag(admin, project, flag);
            JsonNode created = expect(
                            admin.post(
                                    "/api/v1/projects/" + project + "/environments/production/flags/" + flag
                                            + "/schedules",
                                    Map.of("runAt", runAt.toString(), "action", "ENABLE")),
                            201)
                    .json();
            baseVersions.put(
                    created.get("id").asLong(), created.get("baseVersion").asLong());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (jdbc.queryForObject(
                                "SELECT count(*) FROM scheduled_changes WHERE id = ANY(?::bigint[]) AND status = 'PENDING'",
                                Long.class,
                                (Object) baseVersions.keySet().toArray(Long[]::new))
                        > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        for (Map.Entry<Long, Long> s : baseVersions.entrySet()) {
            Map<String, Object> row =
                    jdbc.queryForMap("SELECT status, applied_version FROM scheduled_changes WHERE id = ?", s.getKey());
            assertThat(row.get("status")).isEqualTo("APPLIED");
            assertThat(row.get("applied_version")).isEqualTo(s.getValue() + 1);
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM audit_entries WHERE actor = ?", Long.class, "schedule:" + s.getKey()))
                    .as("schedule %d changed the configuration once", s.getKey())
                    .isEqualTo(1);
        }
    }
}
