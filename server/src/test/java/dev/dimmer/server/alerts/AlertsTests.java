package dev.dimmer.server.alerts;

import static dev.dimmer.server.ingest.IngestFixtures.event;
import static dev.dimmer.server.ingest.IngestFixtures.events;
import static dev.dimmer.server.ingest.IngestFixtures.impression;
import static dev.dimmer.server.ingest.IngestFixtures.impressions;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Alerts end to end: synthetic traffic through the real ingestion API, the real analysis job on a one-second interval
 * (set by configuration), the alerts pass after each of its cycles, and the admin API. Waits count alert passes, never
 * fixed sleeps.
 */
@AlertsIntegrationTest
class AlertsTests {

    private static final Logger log = LoggerFactory.getLogger(AlertsTests.class);

    /** Passes to wait for a condition before failing: each is one analysis cycle (about a second). */
    private static final int MAX_PASSES = 90;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AlertCycle cycle;

    @Autowired
    MeterRegistry registry;

    Api admin;
    Api sdk;
    String sdkKey;
    String project;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        sdkKey = IngestFixtures.sdkKey(admin, project, "production");
        sdk = admin.as(sdkKey);
        metric(Map.of(
                "key", "errors",
                "name", "Checkout errors",
                "eventType", "error",
                "aggregation", "COUNT",
                "direction", "DECREASE",
                "guardrail", true,
                "margin", 0.02,
                "killThreshold", 0.5));
        metric(Map.of(
                "key", "latency",
                "name", "Checkout latency",
                "eventType", "latency",
                "aggregation", "AVERAGE",
                "direction", "DECREASE",
                "guardrail", true,
                "margin", 0.05));
    }

    @Test
    void harmfulTreatment_isAlerted_andWithKillPolicyKilledInTheCycleThatFindsItSevere_onceOnly() throws Exception {
        Fixtures.flag(admin, project, "risky");
        Fixtures.flag(admin, project, "watched");
        split("production", "risky", 5000);
        split("production", "watched", 5000);
        JsonNode policy = expect(
                        admin.put(
                                "/api/v1/projects/" + project + "/flags/risky/guardrail-policy",
                                Map.of("policy", "KILL")),
                        200)
                .json();
        assertThat(policy.get("policy").asString()).isEqualTo("KILL");
        assertThat(expect(admin.get("/api/v1/projects/" + project + "/flags/watched/guardrail-policy"), 200)
                        .json()
                        .get("policy")
                        .asString())
                .isEqualTo("NOTIFY");

        // Too few users to conclude anything: no guardrail alert yet, however bad the numbers look.
        users("risky", "a", 0, 40, Harm.HARMFUL);
        awaitPasses(2);
        assertThat(alerts("flag=risky&kind=GUARDRAIL")).isEmpty();

        Instant sdkSawKill;
        // A service embedding the SDK, following changes by streaming (polling only every 10 minutes).
        try (DimmerClient service = DimmerClient.builder(sdkKey)
                .baseUrl("http://127.0.0.1:" + port)
                .pollingInterval(Duration.ofMinutes(10))
                .build()) {
            service.start();
            service.awaitReady(Duration.ofSeconds(30));
            assertThat(service.getTreatment("risky", "probe").label()).isNotEqualTo("killed");

            users("risky", "b", 40, 400, Harm.HARMFUL);
            users("watched", "b", 0, 400, Harm.HARMFUL);
            await("risky killed", () -> configuration("risky").get("killed").asBoolean());
            EvaluationResult afterKill = await("the SDK to see the kill", () -> {
                EvaluationResult r = service.getTreatment("risky", "probe");
                return "killed".equals(r.label()) ? r : null;
            });
            assertThat(afterKill.treatment()).isEqualTo("off");
            sdkSawKill = Instant.now();
        }
        JsonNode errors = await("errors alert on watched", () -> one("flag=watched&kind=GUARDRAIL", "errors"));

        // The KILL policy: killed by guardrail:errors, audited once with the numbers, the alert says so.
        JsonNode riskyErrors = one("flag=risky&kind=GUARDRAIL", "errors");
        log.info("example alert (docs/guardrails.md): {}", riskyErrors);
        assertThat(riskyErrors.get("status").asString()).isEqualTo("OPEN");
        assertThat(riskyErrors.get("severity").asString()).isEqualTo("SEVERE");
        assertThat(riskyErrors.get("action").asString()).isEqualTo("KILLED");
        assertThat(riskyErrors.get("actionBy").asString()).isEqualTo("guardrail:errors");
        assertThat(riskyErrors.get("treatment").asString()).isEqualTo("on");
        assertThat(riskyErrors.get("ciLower").asDouble())
                .as("always-valid interval entirely beyond the kill threshold")
                .isGreaterThan(0.5);
        assertThat(riskyErrors.get("usersPerArm").get("on").asLong()).isGreaterThanOrEqualTo(100);
        assertThat(riskyErrors.get("usersPerArm").get("off").asLong()).isGreaterThanOrEqualTo(100);
        JsonNode kills = expect(
                        admin.get("/api/v1/audit?project=" + project + "&flag=risky&actor=guardrail:errors"), 200)
                .json();
        assertThat(kills).hasSize(1);
        assertThat(kills.get(0).get("action").asString()).isEqualTo("kill");
        assertThat(kills.get(0).get("environment").asString()).isEqualTo("production");
        assertThat(kills.get(0).get("comment").asString())
                .contains("Guardrail policy KILL", "errors", "kill threshold of 50%", "p = ", "/restore");
        assertThat(kills.get(0).get("after").get("killed").asBoolean()).isTrue();

        // Within one cycle of significance: no analysis run of the flag came between the first report that found the
        // errors guardrail SEVERE and the kill.
        long flagId = id("flags", "risky");
        Instant firstSevere = jdbc.queryForObject(
                        "SELECT min(r.computed_at) FROM analysis_runs r JOIN analysis_results x ON x.run_id = r.id"
                                + " WHERE r.flag_id = ? AND x.metric = 'errors' AND x.treatment = 'on'"
                                + " AND x.result->>'guardrailStatus' = 'SEVERE'",
                        Timestamp.class,
                        flagId)
                .toInstant();
        Instant killedAt = Instant.parse(kills.get(0).get("at").asString());
        assertThat(killedAt).isAfterOrEqualTo(firstSevere);
        // docs/performance.md "Guardrail kill latency": a figure to record, not a limit to assert (shared machine).
        log.info(
                "kill latency: first SEVERE report -> kill committed {} ms, -> SDK sees it {} ms",
                Duration.between(firstSevere, killedAt).toMillis(),
                Duration.between(firstSevere, sdkSawKill).toMillis());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM analysis_runs WHERE flag_id = ? AND computed_at > ? AND computed_at < ?",
                        Long.class,
                        flagId,
                        Timestamp.from(firstSevere),
                        Timestamp.from(killedAt)))
                .isZero();

        // Latency is significantly worse too (no kill threshold: breached, alerted, not what killed it).
        JsonNode latency = one("flag=risky&kind=GUARDRAIL", "latency");
        assertThat(latency.get("severity").asString()).isIn("BREACHED", "SEVERE");
        assertThat(latency.get("effect").asDouble()).isGreaterThan(0);

        // The NOTIFY policy: alerted with the same numbers, never killed.
        assertThat(errors.get("severity").asString()).isEqualTo("SEVERE");
        assertThat(errors.get("action").isNull()).isTrue();
        assertThat(configuration("watched").get("killed").asBoolean()).isFalse();

        // A later cycle updates the one alert with the newest numbers; it never opens a second one.
        long before = errors.get("usersPerArm").get("on").asLong();
        users("watched", "c", 400, 700, Harm.HARMFUL);
        JsonNode updated = await("errors alert on watched updated", () -> {
            JsonNode a = one("flag=watched&kind=GUARDRAIL", "errors");
            return a != null && a.get("usersPerArm").get("on").asLong() > before ? a : null;
        });
        assertThat(updated.get("id").asLong()).isEqualTo(errors.get("id").asLong());
        assertThat(updated.get("openedAt").asString())
                .isEqualTo(errors.get("openedAt").asString());
        assertThat(Instant.parse(updated.get("updatedAt").asString()))
                .isAfter(Instant.parse(errors.get("updatedAt").asString()));
        assertThat(alerts("flag=watched&kind=GUARDRAIL").findValuesAsString("metric"))
                .containsExactlyInAnyOrder("errors", "latency");

        // Kill once: more cycles, more data, still one kill.
        users("risky", "d", 400, 500, Harm.HARMFUL);
        awaitPasses(3);
        assertThat(expect(admin.get("/api/v1/audit?project=" + project + "&flag=risky&actor=guardrail:errors"), 200)
                        .json())
                .hasSize(1);
        assertThat(alerts("flag=risky&kind=GUARDRAIL")).hasSize(2);
    }

    @Test
    void sampleRatioMismatch_isAlerted_countedByTheGauge_andResolvesAfterTheConfiguredClearCycles() throws Exception {
        Fixtures.flag(admin, project, "lopsided");
        split("production", "lopsided", 5000);
        sendLopsided("lopsided");

        JsonNode srm = await("SRM alert", () -> first(alerts("flag=lopsided&kind=SRM")));
        assertThat(srm.get("status").asString()).isEqualTo("OPEN");
        assertThat(srm.get("severity").asString()).isEqualTo("MISMATCH");
        assertThat(srm.get("pValue").asDouble()).isLessThan(0.001);
        assertThat(srm.get("usersPerArm").get("on").asLong()).isEqualTo(600);
        assertThat(srm.get("ownerTeam").asString()).isEqualTo("checkout");
        assertThat(registry.get("dimmer.alerts.open").tag("kind", "SRM").gauge().value())
                .isGreaterThanOrEqualTo(1);

        // The arms even out: clear for two cycles (dimmer.alerts.clear-cycles=2), then resolved by itself.
        List<Object> more = new ArrayList<>();
        for (int i = 400; i < 600; i++) {
            more.add(impression("lopsided", "c-" + i, "off", "default rule", Instant.now()));
        }
        send("impressions", more);
        JsonNode resolved = await("SRM alert resolved", () -> {
            JsonNode a = get(srm.get("id").asLong());
            return "RESOLVED".equals(a.get("status").asString()) ? a : null;
        });
        assertThat(resolved.get("resolvedBy").asString()).isEqualTo("system:alerts");
        assertThat(resolved.get("clearCycles").asInt()).isEqualTo(2);
        assertThat(alerts("flag=lopsided&kind=SRM")).hasSize(1);
        JsonNode audit = expect(admin.get("/api/v1/audit?project=" + project + "&actor=system:alerts"), 200)
                .json();
        List<String> resolutions = new ArrayList<>();
        for (JsonNode e : audit) {
            if (e.get("entityKey").asString().equals(srm.get("id").asString())) {
                resolutions.add(
                        e.get("action").asString() + ": " + e.get("comment").asString());
            }
        }
        assertThat(resolutions).containsExactly("resolve: clear for 2 analysis cycles");
    }

    /**
     * Killed before its alert opens (by its rollout plan, another guardrail or, here, a person): the alert records that
     * kill — who and when, from the audit log — instead of saying nothing was done.
     */
    @Test
    void alertOnAFlagKilledEarlier_recordsWhoKilledItAndWhen() throws Exception {
        Fixtures.flag(admin, project, "killed-first");
        split("production", "killed-first", 5000);
        expect(
                admin.post("/api/v1/projects/" + project + "/environments/production/flags/killed-first/kill", null),
                200);
        JsonNode kill = expect(admin.get("/api/v1/audit?project=" + project + "&flag=killed-first"), 200)
                .json()
                .valueStream()
                .filter(e -> e.get("action").asString().equals("kill"))
                .findFirst()
                .orElseThrow();
        sendLopsided("killed-first");

        JsonNode srm = await("SRM alert", () -> first(alerts("flag=killed-first&kind=SRM")));
        assertThat(srm.get("action").asString()).isEqualTo("KILLED");
        assertThat(srm.get("actionBy").asString()).isEqualTo(kill.get("actor").asString());
        assertThat(Instant.parse(srm.get("actionAt").asString()))
                .isEqualTo(Instant.parse(kill.get("at").asString()));
    }

    @Test
    void flagServedTo10PercentWithoutImpressions_raisesNoTrafficAlert_untilImpressionsArrive() throws Exception {
        Fixtures.flag(admin, project, "unwired");
        Fixtures.flag(admin, project, "dormant");
        Fixtures.configure(
                admin,
                project,
                "production",
                "unwired",
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of("treatment", "on"),
                        "trafficAllocation",
                        1000));

        JsonNode alert = await("no-traffic alert", () -> first(alerts("flag=unwired&kind=NO_TRAFFIC")));
        assertThat(alert.get("environment").asString()).isEqualTo("production");
        assertThat(alert.get("severity").asString()).isEqualTo("SILENT");
        assertThat(alert.get("summary").asString()).contains("10.00% of users", "no impression");
        // Served to nobody (disabled, the default): silence is expected, no alert; nor in staging (disabled there).
        assertThat(alerts("flag=dormant")).isEmpty();
        assertThat(alerts("flag=unwired&environment=staging")).isEmpty();

        // The service comes alive: impressions arrive every cycle until the alert resolves by itself.
        long id = alert.get("id").asLong();
        JsonNode resolved = await("no-traffic alert resolved", () -> {
            send("impressions", List.of(impression("unwired", "u-1", "on", "default rule", Instant.now())));
            JsonNode a = get(id);
            return "RESOLVED".equals(a.get("status").asString()) ? a : null;
        });
        assertThat(resolved.get("resolvedBy").asString()).isEqualTo("system:alerts");
    }

    @Test
    void archivingAFlag_resolvesItsAlerts() throws Exception {
        Fixtures.flag(admin, project, "doomed");
        Fixtures.configure(
                admin,
                project,
                "production",
                "doomed",
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of("treatment", "on"),
                        "trafficAllocation",
                        1000));
        long id = await("no-traffic alert", () -> first(alerts("flag=doomed&kind=NO_TRAFFIC")))
                .get("id")
                .asLong();
        expect(admin.delete("/api/v1/projects/" + project + "/flags/doomed"), 200);
        JsonNode resolved = await("alert of the archived flag resolved", () -> {
            JsonNode a = get(id);
            return "RESOLVED".equals(a.get("status").asString()) ? a : null;
        });
        assertThat(resolved.get("resolvedBy").asString()).isEqualTo("system:alerts");
        assertThat(resolved.get("comment").asString()).contains("archived");
    }

    @Test
    void acknowledgeAndResolve_needAnEditorAndAComment_andAreAudited() throws Exception {
        Fixtures.flag(admin, project, "unwired");
        Fixtures.configure(
                admin,
                project,
                "production",
                "unwired",
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of("treatment", "on"),
                        "trafficAllocation",
                        1000));
        JsonNode alert = await("no-traffic alert", () -> first(alerts("flag=unwired&kind=NO_TRAFFIC")));
        long id = alert.get("id").asLong();
        String path = "/api/v1/alerts/" + id;

        // Read scoping: another project's viewer neither lists nor reads it; this project's viewer reads, not acks.
        String other = Fixtures.project(admin);
        Api outsider = admin.as(token("viewer", List.of(other)));
        Api viewer = admin.as(token("viewer", List.of(project)));
        assertThat(expect(outsider.get("/api/v1/alerts?limit=500"), 200).json().findValuesAsString("project"))
                .doesNotContain(project);
        expect(outsider.get("/api/v1/alerts?project=" + project), 403);
        expect(outsider.get(path), 404);
        expect(viewer.get(path), 200);
        expect(viewer.post(path + "/ack", Map.of("comment", "mine")), 403);

        // Bad input names the field.
        JsonNode problem =
                expect(admin.post(path + "/ack", Map.of("comment", " ")), 400).json();
        assertThat(problem.toString()).contains("/comment");
        assertThat(expect(admin.get("/api/v1/alerts?project=" + project + "&status=SLEEPING"), 400)
                        .json()
                        .toString())
                .contains("/status");
        assertThat(expect(admin.get("/api/v1/alerts?flag=unwired"), 400).json().toString())
                .contains("/flag");

        JsonNode acked = expect(admin.post(path + "/ack", Map.of("comment", "looking at the SDK wiring")), 200)
                .json();
        assertThat(acked.get("status").asString()).isEqualTo("ACKNOWLEDGED");
        assertThat(acked.get("acknowledgedBy").asString()).startsWith("token:");
        expect(admin.post(path + "/ack", Map.of("comment", "again")), 409);
        // Still unresolved: listed as acknowledged; a cycle keeps it, does not open another.
        awaitPasses(2);
        assertThat(alerts("flag=unwired&kind=NO_TRAFFIC&status=ACKNOWLEDGED").findValuesAsString("id"))
                .containsExactly(String.valueOf(id));

        JsonNode resolved = expect(admin.post(path + "/resolve", Map.of("comment", "service redeployed")), 200)
                .json();
        assertThat(resolved.get("status").asString()).isEqualTo("RESOLVED");
        assertThat(resolved.get("comment").asString()).isEqualTo("service redeployed");
        expect(admin.post(path + "/resolve", Map.of("comment", "again")), 409);

        JsonNode audit = expect(admin.get("/api/v1/audit?project=" + project + "&flag=unwired"), 200)
                .json();
        List<String> entries = new ArrayList<>();
        for (JsonNode e : audit) {
            if ("alert".equals(e.get("entityType").asString())) {
                entries.add(e.get("action").asString() + ": " + e.get("comment").asString());
                assertThat(e.get("entityKey").asString()).isEqualTo(String.valueOf(id));
                assertThat(e.get("actor").asString()).startsWith("token:");
            }
        }
        assertThat(entries).containsExactly("resolve: service redeployed", "acknowledge: looking at the SDK wiring");
        // A person's resolution is not undone by the very next cycle on the same silence.
        awaitPasses(2);
        assertThat(alerts("flag=unwired&kind=NO_TRAFFIC")).hasSize(1);
    }

    @Test
    void staleFlags_areListed_andTheirTeamToldOnce() throws Exception {
        Fixtures.flag(admin, project, "settled");
        Fixtures.flag(admin, project, "forgotten");
        Fixtures.flag(admin, project, "busy");
        for (String environment : List.of("staging", "production")) {
            Fixtures.configure(
                    admin,
                    project,
                    environment,
                    "settled",
                    Map.of(
                            "enabled",
                            true,
                            "offTreatment",
                            "off",
                            "rules",
                            List.of(),
                            "defaultServe",
                            Map.of("treatment", "on"),
                            "trafficAllocation",
                            10000));
            split(environment, "forgotten", 5000);
            split(environment, "busy", 5000);
        }
        String path = "/api/v1/projects/" + project + "/stale-flags";

        JsonNode settled = await("settled told", () -> {
            JsonNode f = staleFlag(path, "settled");
            return f != null && !f.get("notifiedAt").isNull() ? f : null;
        });
        assertThat(settled.get("reasons").toString()).contains("SINGLE_TREATMENT");
        assertThat(settled.get("servedTreatments").get("production").asString()).isEqualTo("on");
        assertThat(settled.get("servedTreatments").get("staging").asString()).isEqualTo("on");
        assertThat(settled.get("ownerTeam").asString()).isEqualTo("checkout");

        JsonNode forgotten = await("forgotten listed", () -> staleFlag(path, "forgotten"));
        assertThat(forgotten.get("reasons").toString())
                .contains("NO_IMPRESSIONS")
                .doesNotContain("SINGLE");

        // Served a split and seen lately: not stale.
        send("impressions", List.of(impression("busy", "k-1", "on", "default rule", Instant.now())));
        awaitPasses(1);
        assertThat(staleFlag(path, "busy")).isNull();

        // Told once: further cycles leave the notice as it was.
        awaitPasses(3);
        assertThat(staleFlag(path, "settled").get("notifiedAt").asString())
                .isEqualTo(settled.get("notifiedAt").asString());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM stale_flag_notices WHERE flag_id = ?",
                        Long.class,
                        id("flags", "settled")))
                .isEqualTo(1);
    }

    // --- traffic -------------------------------------------------------------------------------------------------

    enum Harm {
        /** The treatment fails 40 % of the time (control 2 %) and is three times slower. */
        HARMFUL
    }

    /**
     * Users {@code prefix-from} … {@code prefix-(to−1)} of each arm: an impression, a latency event and, as the
     * behaviour says, an error event, through the SDK ingestion API.
     */
    private void users(String flag, String prefix, int from, int to, Harm harm) {
        Random random = new Random(prefix.hashCode() * 31L + from);
        List<Object> exposures = new ArrayList<>();
        List<Object> measured = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(1);
        for (int i = from; i < to; i++) {
            for (String treatment : List.of("on", "off")) {
                boolean on = treatment.equals("on");
                String key = flag + "-" + prefix + "-" + treatment + "-" + i;
                exposures.add(impression(flag, key, treatment, "default rule", start));
                double latency = on ? 300 + random.nextGaussian() * 30 : 100 + random.nextGaussian() * 10;
                measured.add(event(key, "latency", latency, start.plusMillis(10)));
                if (random.nextDouble() < (on ? 0.4 : 0.02)) {
                    measured.add(event(key, "error", 1, start.plusMillis(20)));
                }
            }
        }
        send("events", measured);
        send("impressions", exposures);
    }

    /** 600 users exposed to "on" (t-0…) and 400 to "off" (c-0…) of a 50/50 split: a sample-ratio mismatch. */
    private void sendLopsided(String flag) {
        List<Object> exposures = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < 600; i++) {
            exposures.add(impression(flag, "t-" + i, "on", "default rule", now));
        }
        for (int i = 0; i < 400; i++) {
            exposures.add(impression(flag, "c-" + i, "off", "default rule", now));
        }
        send("impressions", exposures);
    }

    private void send(String kind, List<Object> items) {
        for (int from = 0; from < items.size(); from += 1000) {
            List<Object> batch = items.subList(from, Math.min(items.size(), from + 1000));
            String id = UUID.randomUUID().toString();
            expect(
                    sdk.post(
                            "/api/sdk/v1/" + kind,
                            kind.equals("impressions") ? impressions(id, batch) : events(id, batch)),
                    202);
        }
    }

    // --- API -----------------------------------------------------------------------------------------------------

    private void metric(Map<String, Object> body) {
        expect(admin.post("/api/v1/projects/" + project + "/metrics", body), 201);
    }

    private void split(String environment, String flag, int onWeight) {
        Fixtures.configure(
                admin,
                project,
                environment,
                flag,
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of(
                                "split",
                                List.of(
                                        Map.of("treatment", "on", "weight", onWeight),
                                        Map.of("treatment", "off", "weight", 10_000 - onWeight))),
                        "trafficAllocation",
                        10000));
    }

    private JsonNode configuration(String flag) {
        return expect(admin.get("/api/v1/projects/" + project + "/environments/production/flags/" + flag), 200)
                .json();
    }

    private JsonNode alerts(String query) {
        return expect(admin.get("/api/v1/alerts?project=" + project + "&" + query), 200)
                .json();
    }

    private JsonNode get(long id) {
        return expect(admin.get("/api/v1/alerts/" + id), 200).json();
    }

    /** The unresolved alert of {@code metric} among those the query lists, or null. */
    private JsonNode one(String query, String metric) {
        JsonNode found = null;
        for (JsonNode a : alerts(query)) {
            if (metric.equals(a.get("metric").asString())
                    && !"RESOLVED".equals(a.get("status").asString())) {
                assertThat(found).as("one unresolved %s alert", metric).isNull();
                found = a;
            }
        }
        return found;
    }

    private static JsonNode first(JsonNode list) {
        return list.isEmpty() ? null : list.get(0);
    }

    private JsonNode staleFlag(String path, String flag) {
        for (JsonNode f : expect(admin.get(path), 200).json()) {
            if (flag.equals(f.get("flag").asString())) {
                return f;
            }
        }
        return null;
    }

    private String token(String role, List<String> projects) {
        return expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", Api.uniqueKey(role), "role", role, "projects", projects)),
                        201)
                .json()
                .get("secret")
                .asString();
    }

    private long id(String table, String key) {
        return jdbc.queryForObject(
                "SELECT f.id FROM " + table + " f JOIN projects p ON p.id = f.project_id WHERE p.key = ? AND f.key = ?",
                Long.class,
                project,
                key);
    }

    // --- waiting on alert passes ---------------------------------------------------------------------------------

    /** Waits until {@code n} more alert passes (one per analysis cycle) have completed. */
    private void awaitPasses(int n) throws InterruptedException {
        long target = cycle.passes() + n;
        long safety = System.nanoTime() + Duration.ofMinutes(3).toNanos(); // only so a stuck job cannot hang the build
        while (cycle.passes() < target) {
            if (System.nanoTime() > safety) {
                throw new AssertionError("the alerts pass stopped running (analysis job stuck?)");
            }
            Thread.sleep(20);
        }
    }

    /** Checks {@code probe} after each pass until it answers non-null (or true), for up to {@link #MAX_PASSES}. */
    @SuppressWarnings("unchecked")
    private <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        for (int i = 0; i < MAX_PASSES; i++) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            awaitPasses(1);
        }
        throw new AssertionError("no " + what + " after " + MAX_PASSES + " analysis cycles");
    }
}
