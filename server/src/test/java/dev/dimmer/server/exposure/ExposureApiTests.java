package dev.dimmer.server.exposure;

import static dev.dimmer.server.ingest.IngestFixtures.impression;
import static dev.dimmer.server.ingest.IngestFixtures.impressions;
import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dimmer.server.ingest.IngestFixtures;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ExposureApiTests {

    @LocalServerPort
    int port;

    Api admin;
    Api sdk;
    String project;
    Instant hour;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        Fixtures.flag(admin, project, "checkout");
        hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    }

    /**
     * 1000 keys on and 1200 off by the 50/50 default split, 100 of the "on" keys seen twice, 5 keys that saw both
     * treatments, 30 keys served "off" by a fixed rule, and one impression outside the window.
     */
    private void sendKnownPopulation() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(impression("checkout", "on-" + i, "on", "default rule", hour.plusSeconds(600 + i)));
        }
        for (int i = 0; i < 100; i++) {
            items.add(impression("checkout", "on-" + i, "on", "default rule", hour.plusSeconds(3600 + 60 + i)));
        }
        for (int i = 0; i < 1200; i++) {
            items.add(impression("checkout", "off-" + i, "off", "default rule", hour.plusSeconds(3600 + 600 + i)));
        }
        for (int i = 0; i < 5; i++) {
            items.add(impression("checkout", "both-" + i, "on", "default rule", hour.plusSeconds(30)));
            items.add(impression("checkout", "both-" + i, "off", "killed", hour.plusSeconds(3600 + 30)));
        }
        for (int i = 0; i < 30; i++) {
            items.add(impression("checkout", "beta-" + i, "off", "rule:beta", hour.plusSeconds(7200 + 5)));
        }
        items.add(impression("checkout", "old", "on", "default rule", hour.minus(2, ChronoUnit.DAYS)));
        items.add(impression("other-flag", "on-1", "on", "default rule", hour.plusSeconds(600)));
        for (int from = 0; from < items.size(); from += 1000) {
            expect(
                    sdk.post(
                            "/api/sdk/v1/impressions",
                            impressions(
                                    UUID.randomUUID().toString(),
                                    items.subList(from, Math.min(items.size(), from + 1000)))),
                    202);
        }
    }

    private void splitFiftyFifty() {
        Fixtures.configure(
                admin,
                project,
                "production",
                "checkout",
                Map.of(
                        "enabled",
                        true,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(Map.of(
                                "id",
                                "beta",
                                "conditions",
                                List.of(Map.of(
                                        "attribute", "email",
                                        "operator", "ENDS_WITH",
                                        "values", List.of("@beta.example"))),
                                "serve",
                                Map.of("treatment", "off"))),
                        "defaultServe",
                        Map.of(
                                "split",
                                List.of(
                                        Map.of("treatment", "on", "weight", 5000),
                                        Map.of("treatment", "off", "weight", 5000))),
                        "trafficAllocation",
                        10000));
    }

    private String exposurePath() {
        return "/api/v1/projects/" + project + "/environments/production/flags/checkout/exposure";
    }

    @Test
    void reportsWhatWasSentForAKnownPopulation() {
        splitFiftyFifty();
        sendKnownPopulation();

        JsonNode report = expect(admin.get(exposurePath()), 200).json();
        assertThat(report.get("interval").asString()).isEqualTo("hour");
        assertThat(report.get("impressions").asLong()).isEqualTo(1000 + 100 + 1200 + 10 + 30);
        assertThat(report.get("uniqueKeys").asLong()).isEqualTo(1000 + 1200 + 5 + 30);
        assertThat(report.get("multiTreatmentKeys").asLong()).isEqualTo(5);

        Map<String, long[]> treatments = new HashMap<>();
        for (JsonNode t : report.get("treatments")) {
            treatments.put(t.get("treatment").asString(), new long[] {
                t.get("impressions").asLong(), t.get("uniqueKeys").asLong()
            });
        }
        assertThat(treatments.get("on")).containsExactly(1105, 1005);
        assertThat(treatments.get("off")).containsExactly(1235, 1235);

        Map<String, Long> labels = new HashMap<>();
        report.get("labels")
                .forEach(l -> labels.put(
                        l.get("label").asString(), l.get("impressions").asLong()));
        assertThat(labels)
                .containsOnly(Map.entry("default rule", 2305L), Map.entry("killed", 5L), Map.entry("rule:beta", 30L));

        Map<Instant, JsonNode> buckets = new HashMap<>();
        long summed = 0;
        for (JsonNode b : report.get("series")) {
            buckets.put(Instant.parse(b.get("start").asString()), b);
            summed += b.get("impressions").asLong();
        }
        assertThat(report.get("series")).hasSizeBetween(24, 25);
        assertThat(summed).isEqualTo(2340);
        JsonNode first = buckets.get(hour);
        assertThat(first.get("treatments").get("on").asLong()).isEqualTo(1005);
        assertThat(first.get("treatments").get("off").asLong()).isZero();
        JsonNode second = buckets.get(hour.plus(1, ChronoUnit.HOURS));
        assertThat(second.get("treatments").get("on").asLong()).isEqualTo(100);
        assertThat(second.get("treatments").get("off").asLong()).isEqualTo(1205);
        assertThat(second.get("labels").get("killed").asLong()).isEqualTo(5);
        assertThat(buckets.get(hour.plus(2, ChronoUnit.HOURS))
                        .get("labels")
                        .get("rule:beta")
                        .asLong())
                .isEqualTo(30);

        JsonNode allocation = report.get("allocation");
        assertThat(allocation.get("source").asString()).isEqualTo("defaultServe");
        assertThat(allocation.get("label").asString()).isEqualTo("default rule");
        Map<String, Long> observed = new HashMap<>();
        allocation
                .get("arms")
                .forEach(a -> observed.put(
                        a.get("treatment").asString(), a.get("observedKeys").asLong()));
        assertThat(observed).containsOnly(Map.entry("on", 1000L), Map.entry("off", 1200L));
        assertThat(allocation.get("arms").get(0).get("expectedShare").asDouble())
                .isEqualTo(0.5);
        JsonNode srm = allocation.get("srm");
        assertThat(srm.get("status").asString()).isEqualTo("MISMATCH");
        assertThat(srm.get("degreesOfFreedom").asInt()).isEqualTo(1);
        assertThat(srm.get("pValue").asDouble()).isCloseTo(7.9251281976e-4, within(1e-13)); // always-valid
        assertThat(srm.get("chiSquarePValue").asDouble()).isCloseTo(2.007865612e-05, within(1e-12));

        JsonNode sdks = report.get("sdks");
        assertThat(sdks).hasSize(1);
        assertThat(sdks.get(0).get("instanceId").asString()).isEqualTo("instance-1");
        assertThat(sdks.get(0).get("name").asString()).isEqualTo("dimmer-java");
        assertThat(sdks.get(0).get("version").asString()).isEqualTo("0.1.0");
        assertThat(sdks.get(0).get("lastSeen").isNull()).isFalse();
    }

    @Test
    void narrowsToTheRequestedWindowAndInterval() {
        sendKnownPopulation();
        String from = hour.plus(1, ChronoUnit.HOURS).toString();
        String to = hour.plus(2, ChronoUnit.HOURS).toString();
        JsonNode report = expect(admin.get(exposurePath() + "?from=" + from + "&to=" + to + "&interval=minute"), 200)
                .json();
        assertThat(report.get("series")).hasSize(60);
        assertThat(report.get("impressions").asLong()).isEqualTo(100 + 1200 + 5);
        assertThat(report.get("multiTreatmentKeys").asLong()).isZero();
        assertThat(report.get("allocation").get("srm").get("status").asString())
                .as("the flag serves no split")
                .isEqualTo("NO_SPLIT");

        JsonNode day = expect(
                        admin.get(exposurePath() + "?from=" + hour.minus(3, ChronoUnit.DAYS) + "&interval=day"), 200)
                .json();
        assertThat(day.get("impressions").asLong()).isEqualTo(2341);
    }

    @Test
    void refusesInvalidParametersWithPointers() {
        record Case(String query, String pointer) {}
        for (Case c : List.of(
                new Case("?interval=week", "/interval"),
                new Case("?from=yesterday", "/from"),
                new Case("?to=2026-13-01T00:00:00Z", "/to"),
                new Case("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "/from"),
                new Case("?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=minute", "/interval"))) {
            Api.Response response = admin.get(exposurePath() + c.query());
            assertThat(response.status()).as(c.query()).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("pointer").asString())
                    .as(c.query())
                    .isEqualTo(c.pointer());
        }
        assertThat(admin.get("/api/v1/projects/" + project + "/environments/production/flags/nope/exposure")
                        .status())
                .isEqualTo(404);
        assertThat(admin.get("/api/v1/projects/" + project + "/environments/nope/flags/checkout/exposure")
                        .status())
                .isEqualTo(404);
        assertThat(admin.get(exposurePath() + "/keys/k?limit=0").status()).isEqualTo(400);
    }

    @Test
    void viewersOfTheProjectMayReadTheReport() {
        String viewer = viewer(List.of(project));
        expect(admin.as(viewer).get(exposurePath()), 200);
        expect(admin.as(viewer).get(exposurePath() + "/keys/someone"), 200);
        String viewerOfNothing = viewer(List.of());
        expect(admin.as(viewerOfNothing).get(exposurePath()), 403);
        expect(admin.as(viewerOfNothing).get(exposurePath() + "/keys/someone"), 403);
    }

    private String viewer(List<String> projects) {
        return expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", Api.uniqueKey("viewer"), "role", "viewer", "projects", projects)),
                        201)
                .json()
                .get("secret")
                .asString();
    }

    @Test
    void showsOneKeysExposuresAndLatestImpressions() {
        sendKnownPopulation();
        JsonNode both = expect(admin.get(exposurePath() + "/keys/both-3"), 200).json();
        assertThat(both.get("multipleTreatments").asBoolean()).isTrue();
        assertThat(both.get("exposures").findValuesAsString("treatment")).containsExactly("on", "off");
        assertThat(both.get("exposures").get(1).get("label").asString()).isEqualTo("killed");
        assertThat(both.get("impressions").findValuesAsString("label")).containsExactly("killed", "default rule");

        JsonNode twice =
                expect(admin.get(exposurePath() + "/keys/on-7?limit=1"), 200).json();
        assertThat(twice.get("impressions")).hasSize(1);
        assertThat(Instant.parse(twice.get("impressions").get(0).get("time").asString()))
                .isEqualTo(hour.plusSeconds(3600 + 60 + 7));
        assertThat(twice.get("impressions").get(0).get("changeNumber").asLong()).isEqualTo(7);
        assertThat(twice.get("multipleTreatments").asBoolean()).isFalse();

        JsonNode unknown =
                expect(admin.get(exposurePath() + "/keys/never-seen"), 200).json();
        assertThat(unknown.get("exposures")).isEmpty();
        assertThat(unknown.get("impressions")).isEmpty();
    }

    @Test
    void showsWhatTheFlagServesTheKeyNowNextToItsImpressions() {
        sendKnownPopulation();
        JsonNode disabled =
                expect(admin.get(exposurePath() + "/keys/on-7"), 200).json().get("currentEvaluation");
        assertThat(disabled.get("treatment").asString()).isEqualTo("off");
        assertThat(disabled.get("label").asString()).isEqualTo("flag off");
        assertThat(disabled.get("reason").asString()).isEqualTo("DISABLED");

        splitFiftyFifty();
        JsonNode split =
                expect(admin.get(exposurePath() + "/keys/on-7"), 200).json().get("currentEvaluation");
        assertThat(split.get("label").asString()).isEqualTo("default rule");
        assertThat(split.get("reason").asString()).isEqualTo("SPLIT");
        assertThat(split.get("treatment").asString()).isIn("on", "off");
    }
}
