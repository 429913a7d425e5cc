package dev.dimmer.server.schedules;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.rollout.GuardrailsIntegrationTest;
import dev.dimmer.server.rollout.RecordedEvents;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Scheduled changes run by the real runner (every 0.3 s here), against a real database. */
@GuardrailsIntegrationTest
class ScheduleTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RecordedEvents events;

    Api admin;
    String project;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
    }

    private String flagPath(String flag) {
        return "/api/v1/projects/" + project + "/environments/production/flags/" + flag;
    }

    private JsonNode schedule(String flag, Map<String, Object> body) {
        return expect(admin.post(flagPath(flag) + "/schedules", body), 201).json();
    }

    private static Map<String, Object> at(Instant runAt, String action, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("runAt", runAt.toString(), "action", action));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private JsonNode await(String flag, long id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode s = expect(admin.get(flagPath(flag) + "/schedules/" + id), 200).json();
        while (!status.equals(s.get("status").asString())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("scheduled change " + id + " is " + s + ", not " + status);
            }
            Thread.sleep(100);
            s = expect(admin.get(flagPath(flag) + "/schedules/" + id), 200).json();
        }
        return s;
    }

    private JsonNode configuration(String flag) {
        return expect(admin.get(flagPath(flag)), 200).json();
    }

    @Test
    void aScheduledEnableRunsAtItsTime_asAnAuditedChangeByTheSchedule_andReachesSdks() throws Exception {
        Fixtures.flag(admin, project, "launch");
        String sdkKey = IngestFixtures.sdkKey(admin, project, "production");
        long version = configuration("launch").get("version").asLong();
        Instant runAt = Instant.now().plusSeconds(1);

        JsonNode created = schedule("launch", at(runAt, "ENABLE", "comment", "launch at 9"));
        assertThat(created.get("status").asString()).isEqualTo("PENDING");
        assertThat(created.get("baseVersion").asLong()).isEqualTo(version);
        long id = created.get("id").asLong();

        JsonNode applied = await("launch", id, "APPLIED");
        assertThat(Instant.parse(applied.get("finishedAt").asString())).isAfterOrEqualTo(runAt);
        assertThat(applied.get("finishedBy").asString()).isEqualTo("schedule:" + id);
        assertThat(applied.get("appliedVersion").asLong()).isEqualTo(version + 1);
        assertThat(configuration("launch").get("enabled").asBoolean()).isTrue();
        Map<String, Object> audit = jdbc.queryForMap(
                "SELECT action, comment FROM audit_entries WHERE project = ? AND flag = 'launch'"
                        + " AND entity_type = 'flag-configuration' AND actor = ?",
                project,
                "schedule:" + id);
        assertThat(audit.get("action")).isEqualTo("update");
        assertThat((String) audit.get("comment")).contains("scheduled change " + id, "token:", "launch at 9");
        assertThat(events.applied).anySatisfy(e -> {
            assertThat(e.scheduleId()).isEqualTo(id);
            assertThat(e.ownerTeam()).isEqualTo("checkout");
        });
        JsonNode snapshot =
                expect(admin.as(sdkKey).get("/api/sdk/v1/snapshot"), 200).json();
        assertThat(snapshot.get("flags").get(0).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void aRolloutPercentageAndAWholeConfigurationCanBeScheduled() throws Exception {
        Fixtures.flag(admin, project, "ramp");
        Fixtures.flag(admin, project, "replace");
        long rollout = schedule("ramp", at(Instant.now(), "SET_ROLLOUT", "weight", 2500))
                .get("id")
                .asLong();
        Map<String, Object> whole = Map.of(
                "enabled", true, "offTreatment", "off", "rules", List.of(), "defaultServe", Map.of("treatment", "on"));
        long apply = schedule("replace", at(Instant.now(), "APPLY", "configuration", whole))
                .get("id")
                .asLong();

        await("ramp", rollout, "APPLIED");
        await("replace", apply, "APPLIED");
        JsonNode ramp = configuration("ramp");
        assertThat(ramp.get("defaultServe").get("split").get(0).get("treatment").asString())
                .isEqualTo("on");
        assertThat(ramp.get("defaultServe").get("split").get(0).get("weight").asInt())
                .isEqualTo(2500);
        assertThat(ramp.get("defaultServe").get("split").get(1).get("weight").asInt())
                .isEqualTo(7500);
        assertThat(ramp.get("enabled").asBoolean())
                .as("SET_ROLLOUT changes only the split")
                .isFalse();
        JsonNode replaced = configuration("replace");
        assertThat(replaced.get("enabled").asBoolean()).isTrue();
        assertThat(replaced.get("defaultServe").get("treatment").asString()).isEqualTo("on");
    }

    @Test
    void aScheduleMadeAgainstAnOlderVersionFailsAndNotifies_insteadOfOverwriting() throws Exception {
        Fixtures.flag(admin, project, "contested");
        long base = configuration("contested").get("version").asLong();
        long id = schedule("contested", at(Instant.now().plusSeconds(2), "DISABLE"))
                .get("id")
                .asLong();
        // Meanwhile a person changes the flag.
        Fixtures.configure(
                admin,
                project,
                "production",
                "contested",
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of("treatment", "on")));

        JsonNode failed = await("contested", id, "FAILED");
        assertThat(failed.get("outcome").asString()).contains("changed since", "version " + base, "token:");
        assertThat(failed.get("appliedVersion").isNull()).isTrue();
        JsonNode after = configuration("contested");
        assertThat(after.get("enabled").asBoolean())
                .as("the person's change stands")
                .isTrue();
        assertThat(after.get("version").asLong()).isEqualTo(base + 1);
        assertThat(events.failed).anySatisfy(e -> {
            assertThat(e.scheduleId()).isEqualTo(id);
            assertThat(e.baseVersion()).isEqualTo(base);
            assertThat(e.currentVersion()).isEqualTo(base + 1);
            assertThat(e.ownerTeam()).isEqualTo("checkout");
        });
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_entries WHERE actor = ? AND action = 'fail'",
                        Long.class,
                        "schedule:" + id))
                .isEqualTo(1);
    }

    @Test
    void aWindowScheduledTogether_enableThenDisable_runsBoth() throws Exception {
        Fixtures.flag(admin, project, "window");
        long base = configuration("window").get("version").asLong();
        long enable = schedule("window", at(Instant.now().plusSeconds(1), "ENABLE"))
                .get("id")
                .asLong();
        long disable = schedule("window", at(Instant.now().plusSeconds(2), "DISABLE"))
                .get("id")
                .asLong();

        assertThat(await("window", enable, "APPLIED").get("appliedVersion").asLong())
                .isEqualTo(base + 1);
        JsonNode second = await("window", disable, "APPLIED");
        assertThat(second.get("baseVersion").asLong())
                .as("made after the first, so it counts from the first's result")
                .isEqualTo(base + 1);
        assertThat(second.get("appliedVersion").asLong()).isEqualTo(base + 2);
        assertThat(configuration("window").get("enabled").asBoolean()).isFalse();
    }

    @Test
    void aPendingChangeCanBeCancelled_andIsListedAsSuch() throws Exception {
        Fixtures.flag(admin, project, "later");
        Fixtures.flag(admin, project, "sooner");
        long id = schedule("later", at(Instant.now().plus(Duration.ofDays(1)), "ENABLE"))
                .get("id")
                .asLong();
        long ran = schedule("sooner", at(Instant.now(), "ENABLE")).get("id").asLong();

        JsonNode cancelled = expect(admin.delete(flagPath("later") + "/schedules/" + id), 200)
                .json();
        assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("finishedBy").asString()).startsWith("token:");
        expect(admin.delete(flagPath("later") + "/schedules/" + id), 200);
        await("sooner", ran, "APPLIED");
        expect(admin.delete(flagPath("sooner") + "/schedules/" + ran), 409);

        JsonNode all = expect(admin.get("/api/v1/projects/" + project + "/schedules"), 200)
                .json();
        assertThat(all).extracting(s -> s.get("id").asLong()).containsExactlyInAnyOrder(id, ran);
        JsonNode pending = expect(admin.get("/api/v1/projects/" + project + "/schedules?status=pending"), 200)
                .json();
        assertThat(pending).isEmpty();
        JsonNode ofLater =
                expect(admin.get(flagPath("later") + "/schedules"), 200).json();
        assertThat(ofLater)
                .singleElement()
                .satisfies(s -> assertThat(s.get("status").asString()).isEqualTo("CANCELLED"));
        assertThat(configuration("later").get("enabled").asBoolean()).isFalse();
    }

    @Test
    void invalidSchedulesAreRefusedNamingEveryBadField() {
        Fixtures.flag(admin, project, "strict");
        Api.Response missing = admin.post(flagPath("strict") + "/schedules", Map.of("weight", 1));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors"))
                .extracting(e -> e.get("pointer").asString())
                .containsExactlyInAnyOrder("/runAt", "/action");

        Api.Response past = admin.post(
                flagPath("strict") + "/schedules",
                at(Instant.now().minus(Duration.ofHours(1)), "SET_ROLLOUT", "weight", 20_000, "treatment", "off"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("errors"))
                .extracting(e -> e.get("pointer").asString())
                .containsExactlyInAnyOrder("/runAt", "/weight", "/treatment");

        Api.Response badConfig = admin.post(
                flagPath("strict") + "/schedules",
                at(
                        Instant.now().plusSeconds(60),
                        "APPLY",
                        "configuration",
                        Map.of("enabled", true, "offTreatment", "maybe", "defaultServe", Map.of("treatment", "on"))));
        assertThat(badConfig.status()).isEqualTo(400);
        assertThat(badConfig.json().get("errors"))
                .extracting(e -> e.get("pointer").asString())
                .contains("/configuration/offTreatment");

        Api.Response stale = admin.withHeader("If-Match", "\"99\"")
                .post(flagPath("strict") + "/schedules", at(Instant.now().plusSeconds(60), "ENABLE"));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(expect(admin.get(flagPath("strict") + "/schedules"), 200).json())
                .isEmpty();
    }

    @Test
    void aRunThatFailsAtItsVeryEndLeavesTheChangePending_andItRunsOnceAfterwards() throws Exception {
        Fixtures.flag(admin, project, "retried");
        long base = configuration("retried").get("version").asLong();
        long id = schedule("retried", at(Instant.now().plusSeconds(60), "ENABLE"))
                .get("id")
                .asLong();
        events.failNextRunOf(id);
        jdbc.update("UPDATE scheduled_changes SET run_at = now() WHERE id = ?", id); // due now

        JsonNode applied = await("retried", id, "APPLIED");
        assertThat(events.failurePending(id))
                .as("the injected failure happened")
                .isFalse();
        assertThat(applied.get("appliedVersion").asLong()).isEqualTo(base + 1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_entries WHERE actor = ?", Long.class, "schedule:" + id))
                .isEqualTo(1);
    }
}
