package dev.dimmer.server.schedules;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.DimmerApplication;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Every replica down when a change falls due, and in the middle of a plan: at the next start the change runs at once
 * and the plan goes on from where it was (its state lives in the database, not in a replica).
 */
class RestartTests {

    private static ConfigurableApplicationContext start(TestDatabase database) {
        return new SpringApplicationBuilder(DimmerApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password(),
                        "--spring.datasource.hikari.connection-timeout=10000",
                        "--DIMMER_ADMIN_TOKEN=" + Api.ADMIN_TOKEN,
                        "--dimmer.analysis.interval=PT1H",
                        // Only the run at start-up can apply a change in this test.
                        "--dimmer.schedules.interval=PT1H",
                        "--dimmer.rollout.interval=PT0.2S");
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void aChangeThatFellDueWhileEveryReplicaWasDownRunsAtTheNextStart_andAPlanGoesOn() throws Exception {
        TestDatabase database = TestDatabase.create();
        String project;
        long scheduleId;
        Instant runAt;
        try (ConfigurableApplicationContext first = start(database)) {
            Api admin = Api.admin(port(first));
            project = Fixtures.project(admin);
            Fixtures.flag(admin, project, "missed");
            Fixtures.flag(admin, project, "planned");
            runAt = Instant.now().plusSeconds(2);
            scheduleId = expect(
                            admin.post(
                                    "/api/v1/projects/" + project + "/environments/production/flags/missed/schedules",
                                    Map.of("runAt", runAt.toString(), "action", "ENABLE")),
                            201)
                    .json()
                    .get("id")
                    .asLong();
            String plan = "/api/v1/projects/" + project + "/environments/production/flags/planned/plan";
            expect(
                    admin.put(
                            plan,
                            Map.of(
                                    "stages",
                                    List.of(
                                            Map.of("weight", 1000, "minDuration", "PT0S", "minSamplePerArm", 0),
                                            Map.of("weight", 2000, "minDuration", "PT1S", "minSamplePerArm", 0),
                                            Map.of("weight", 3000, "minDuration", "PT0S", "minSamplePerArm", 0)))),
                    201);
            expect(admin.post(plan + "/start", null), 200);
        }
        // Every replica is down; the change falls due.
        while (Instant.now().isBefore(runAt.plusMillis(500))) {
            Thread.sleep(100);
        }

        try (ConfigurableApplicationContext second = start(database)) {
            Api admin = Api.admin(port(second));
            String flags = "/api/v1/projects/" + project + "/environments/production/flags/";
            JsonNode change = expect(admin.get(flags + "missed/schedules/" + scheduleId), 200)
                    .json();
            assertThat(change.get("status").asString())
                    .as("run during start-up, before the first interval")
                    .isEqualTo("APPLIED");
            assertThat(Instant.parse(change.get("finishedAt").asString())).isAfter(runAt);
            assertThat(expect(admin.get(flags + "missed"), 200)
                            .json()
                            .get("enabled")
                            .asBoolean())
                    .isTrue();

            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            JsonNode plan = expect(admin.get(flags + "planned/plan"), 200).json();
            while (!"COMPLETED".equals(plan.get("status").asString()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                plan = expect(admin.get(flags + "planned/plan"), 200).json();
            }
            assertThat(plan.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(plan.get("currentStage").asInt()).isEqualTo(2);
        }
    }
}
