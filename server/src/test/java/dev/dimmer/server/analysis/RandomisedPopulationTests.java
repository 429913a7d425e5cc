package dev.dimmer.server.analysis;

import static dev.dimmer.server.ingest.IngestFixtures.event;
import static dev.dimmer.server.ingest.IngestFixtures.events;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12 items 1–2 through the real ingestion API: a report compares the users of one randomisation only, SRM is
 * tested against that split's weights, and a mismatch withholds every verdict.
 */
@IntegrationTest
class RandomisedPopulationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api admin;
    Api sdk;
    String project;

    /**
     * When exposure starts: after the success metric is attached (so it is confirmatory). Impressions follow it by
     * microseconds, events by 50 ms; {@link #refresh()} waits until the clock has passed them all.
     */
    Instant start;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        sdk = admin.as(IngestFixtures.sdkKey(admin, project, "production"));
        Fixtures.flag(admin, project, "checkout");
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/metrics",
                        Map.of(
                                "key", "revenue",
                                "name", "Revenue",
                                "eventType", "purchase",
                                "aggregation", "SUM",
                                "direction", "INCREASE")),
                201);
        expect(
                admin.put(
                        "/api/v1/projects/" + project + "/flags/checkout/metrics",
                        Map.of("successMetrics", List.of("revenue"))),
                200);
        start = Instant.now();
    }

    /**
     * The README tour's shape: staff get "on" by a fixed rule (500 users who spend far more), everyone else is split
     * 50/50 (20 000 users, no true effect). Counting the staff would show a large, significant lift; the report
     * compares only the split's users, counts the staff as not randomised, and its numbers are a plain Welch
     * recomputation over the randomised users.
     */
    @Test
    void usersPlacedByAFixedRuleAreCountedButNeverCompared() {
        configure(
                List.of(Map.of(
                        "id",
                        "staff",
                        "conditions",
                        List.of(Map.of(
                                "attribute", "email", "operator", "ENDS_WITH", "values", List.of("@example.com"))),
                        "serve",
                        Map.of("treatment", "on"))),
                split(5000, 5000));
        Random random = new Random(12);
        Map<String, List<Double>> values = new HashMap<>();
        List<Object> exposures = new ArrayList<>();
        List<Object> purchases = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String key = "u-" + i;
            String arm = i % 2 == 0 ? "off" : "on";
            double value = Math.round((20 + 5 * random.nextGaussian()) * 100) / 100.0;
            exposures.add(impression("checkout", key, arm, "default rule", start.plusNanos(1000L * i)));
            purchases.add(event(key, "purchase", value, start.plusMillis(50).plusNanos(1000L * i)));
            values.computeIfAbsent(arm, a -> new ArrayList<>()).add(value);
        }
        for (int i = 0; i < 500; i++) {
            String key = "staff-" + i;
            exposures.add(impression("checkout", key, "on", "rule:staff", start.plusNanos(1000L * i)));
            purchases.add(event(key, "purchase", 500.0, start.plusMillis(50).plusNanos(1000L * i)));
        }
        send("impressions", exposures);
        send("events", purchases);

        JsonNode report = refresh();

        assertThat(report.get("split").get("source").asString()).isEqualTo("defaultServe");
        assertThat(report.get("split").get("label").asString()).isEqualTo("default rule");
        assertThat(report.get("notRandomisedUsers").asLong()).isEqualTo(500);
        Map<String, JsonNode> arms = arms(report);
        assertThat(arms.get("on").get("users").asLong()).isEqualTo(10_000);
        assertThat(arms.get("on").get("notRandomised").asLong()).isEqualTo(500);
        assertThat(arms.get("off").get("users").asLong()).isEqualTo(10_000);
        assertThat(report.get("srm").get("status").asString()).isEqualTo("OK");
        assertThat(report.get("trustworthy").asBoolean()).isTrue();

        JsonNode on = metric(report, "revenue").get("treatments").get(0);
        assertThat(on.get("controlUsers").asLong()).isEqualTo(10_000);
        assertThat(on.get("treatmentUsers").asLong()).isEqualTo(10_000);
        assertThat(on.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
        // The same numbers from the randomised users alone, computed here independently (Welch, α = 0.05).
        Welch expected = Welch.of(values.get("off"), values.get("on"), 0.05);
        assertThat(on.get("controlMean").asDouble()).isCloseTo(expected.controlMean, within(1e-9));
        assertThat(on.get("treatmentMean").asDouble()).isCloseTo(expected.treatmentMean, within(1e-9));
        assertThat(on.get("absoluteLift").asDouble()).isCloseTo(expected.lift, within(1e-9));
        JsonNode ci = on.get("absolute").get("confidenceInterval");
        assertThat(ci.get("lower").asDouble()).isCloseTo(expected.lower, within(1e-6));
        assertThat(ci.get("upper").asDouble()).isCloseTo(expected.upper, within(1e-6));
        assertThat(ci.get("lower").asDouble()).isNegative(); // no true effect: the interval holds 0
        // 10 000 per arm already detect a 5 % change (σ = 5 on a mean of 20 needs about 400): the effect is smaller.
        JsonNode decision = report.get("decision");
        assertThat(decision.get("outcome").asString()).isEqualTo("KEEP_RUNNING");
        assertThat(decision.get("additionalUsersPerArm").asLong()).isZero();
        assertThat(decision.get("summary").asString()).contains("already large enough to detect a 5% change");
        assertThat(decision.get("rule").asString()).startsWith("Ship when a treatment improves");

        // The export holds the rows the analysis used: recomputing from them gives the report's numbers to 1e-9.
        Api.Response export = expect(admin.get(flagPath() + "/report/users"), 200);
        assertThat(export.header("Content-Type")).startsWith("text/csv");
        String[] lines = export.text().split("\r\n");
        assertThat(lines[0]).isEqualTo("key,arm,randomised,revenue,revenue_pre");
        assertThat(lines).hasSize(1 + 20_500);
        Map<String, List<Double>> exported = new HashMap<>();
        long notRandomised = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] row = lines[i].split(",");
            if (Boolean.parseBoolean(row[2])) {
                exported.computeIfAbsent(row[1], a -> new ArrayList<>()).add(Double.parseDouble(row[3]));
            } else {
                notRandomised++;
            }
        }
        assertThat(notRandomised).isEqualTo(500);
        Welch recomputed = Welch.of(exported.get("off"), exported.get("on"), 0.05);
        assertThat(recomputed.lift).isCloseTo(on.get("absoluteLift").asDouble(), within(1e-9));
        assertThat(recomputed.lower).isCloseTo(ci.get("lower").asDouble(), within(1e-9));
        assertThat(recomputed.upper).isCloseTo(ci.get("upper").asDouble(), within(1e-9));

        // The exposure report asks the same place which split is the experiment.
        JsonNode exposure = expect(admin.get(flagPath() + "/exposure"), 200).json();
        assertThat(exposure.get("allocation").get("source").asString()).isEqualTo("defaultServe");
        assertThat(exposure.get("allocation").get("label").asString()).isEqualTo("default rule");
    }

    /** An experiment targeted to a segment: a rule's own 20/80 split is chosen; its users are the population. */
    @Test
    void aChosenRuleSplitWithUnequalWeightsIsTheComparedPopulation() {
        configure(
                List.of(Map.of(
                        "id",
                        "beta",
                        "conditions",
                        List.of(Map.of("attribute", "plan", "operator", "IN", "values", List.of("beta"))),
                        "serve",
                        split(2000, 8000))),
                split(5000, 5000));
        // The rule serves a split: it may be chosen; a missing rule and a tiny expected sample are refused by name.
        assertThat(expect(admin.put(flagPath() + "/experiment", Map.of("splitRule", "nope")), 400)
                        .json()
                        .toString())
                .contains("/splitRule");
        assertThat(expect(admin.put(flagPath() + "/experiment", Map.of("expectedSample", 5)), 400)
                        .json()
                        .toString())
                .contains("/expectedSample");
        JsonNode settings = expect(
                        admin.put(
                                flagPath() + "/experiment",
                                Map.of("splitRule", "beta", "expectedSample", 5000, "minimumDetectableEffect", 0.01)),
                        200)
                .json();
        assertThat(settings.get("split").get("source").asString()).isEqualTo("rule:beta");
        assertThat(settings.get("split").get("weights").get("on").asInt()).isEqualTo(2000);

        List<Object> exposures = new ArrayList<>();
        List<Object> purchases = new ArrayList<>();
        for (int i = 0; i < 5000; i++) { // exactly 20/80 among the rule's users
            String arm = i % 5 == 0 ? "on" : "off";
            exposures.add(impression("checkout", "b-" + i, arm, "rule:beta", start.plusNanos(1000L * i)));
            purchases.add(event("b-" + i, "purchase", 10.0 + i % 7, start.plusMillis(50)));
        }
        for (int i = 0; i < 3000; i++) { // the default split's users: another population, and lopsided
            exposures.add(impression("checkout", "d-" + i, "on", "default rule", start.plusNanos(1000L * i)));
        }
        send("impressions", exposures);
        send("events", purchases);

        JsonNode report = refresh();
        assertThat(report.get("split").get("source").asString()).isEqualTo("rule:beta");
        Map<String, JsonNode> arms = arms(report);
        assertThat(arms.get("on").get("users").asLong()).isEqualTo(1000);
        assertThat(arms.get("off").get("users").asLong()).isEqualTo(4000);
        assertThat(report.get("notRandomisedUsers").asLong()).isEqualTo(3000);
        assertThat(report.get("srm").get("status").asString()).isEqualTo("OK");
        assertThat(report.get("srm").get("weights").asString()).isEqualTo("rule:beta");
        assertThat(arms.get("on").get("expectedShare").asDouble()).isCloseTo(0.2, within(1e-12));
        JsonNode on = metric(report, "revenue").get("treatments").get(0);
        assertThat(on.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
        // Still needed for a 1 % change: (z(0.975) + z(0.8))² · SE² · n / δ² − n, from the report's own numbers.
        double se = on.get("absolute").get("standardError").asDouble();
        double delta = 0.01 * on.get("controlMean").asDouble();
        long n = Math.min(
                on.get("controlUsers").asLong(), on.get("treatmentUsers").asLong());
        double z = 1.959963984540054 + 0.8416212335729143;
        long expectedMore = (long) Math.ceil(z * z * se * se * n / (delta * delta)) - n;
        JsonNode decision = report.get("decision");
        assertThat(decision.get("outcome").asString()).isEqualTo("KEEP_RUNNING");
        assertThat(expectedMore).isPositive();
        assertThat(decision.get("additionalUsersPerArm").asLong()).isCloseTo(expectedMore, within(1L));
        assertThat(decision.get("summary").asString()).contains("more users per arm are needed to detect a 1% change");

        JsonNode exposure = expect(admin.get(flagPath() + "/exposure"), 200).json();
        assertThat(exposure.get("allocation").get("source").asString()).isEqualTo("rule:beta");
    }

    /** A planted 60/40 imbalance on a 50/50 split: SRM, the numbers stay, every verdict is withheld. */
    @Test
    void aSampleRatioMismatchWithholdsEveryVerdict() {
        configure(List.of(), split(5000, 5000));
        List<Object> exposures = new ArrayList<>();
        List<Object> purchases = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String arm = i % 5 < 3 ? "on" : "off";
            exposures.add(impression("checkout", "u-" + i, arm, "default rule", start.plusNanos(1000L * i)));
            // a large true effect that would be IMPROVED without the mismatch
            purchases.add(event("u-" + i, "purchase", (arm.equals("on") ? 30.0 : 10.0) + i % 3, start.plusMillis(50)));
        }
        send("impressions", exposures);
        send("events", purchases);

        JsonNode report = refresh();
        assertThat(report.get("srm").get("status").asString()).isEqualTo("MISMATCH");
        assertThat(report.get("srm").get("mismatch").asBoolean()).isTrue();
        assertThat(report.get("trustworthy").asBoolean()).isFalse();
        assertThat(report.get("message").asString()).startsWith("Not trustworthy: sample ratio mismatch");
        JsonNode on = metric(report, "revenue").get("treatments").get(0);
        assertThat(on.get("verdict").asString()).isEqualTo("NOT_TRUSTWORTHY");
        assertThat(on.get("absoluteLift").asDouble()).isCloseTo(20.0, within(0.01)); // numbers kept
        assertThat(on.get("summary").asString()).startsWith("Not trustworthy: sample ratio mismatch");
        assertThat(report.get("decision").get("outcome").asString()).isEqualTo("INVESTIGATE");
    }

    /** A success metric significantly worse: do not ship, naming the treatment. */
    @Test
    void aTreatmentThatWorsensAGoalIsNotShipped() {
        configure(List.of(), split(5000, 5000));
        List<Object> exposures = new ArrayList<>();
        List<Object> purchases = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String arm = i % 2 == 0 ? "on" : "off";
            exposures.add(impression("checkout", "u-" + i, arm, "default rule", start.plusNanos(1000L * i)));
            purchases.add(event("u-" + i, "purchase", (arm.equals("on") ? 10.0 : 20.0) + i % 5, start.plusMillis(50)));
        }
        send("impressions", exposures);
        send("events", purchases);

        JsonNode report = refresh();
        assertThat(metric(report, "revenue")
                        .get("treatments")
                        .get(0)
                        .get("verdict")
                        .asString())
                .isEqualTo("DEGRADED");
        JsonNode decision = report.get("decision");
        assertThat(decision.get("outcome").asString()).isEqualTo("DO_NOT_SHIP");
        assertThat(decision.get("treatment").asString()).isEqualTo("on");
        assertThat(decision.get("summary").asString()).contains("Revenue, a goal of this experiment");
    }

    /**
     * The cumulative effect day by day: each day's last analysis. Yesterday is made by moving the first analysis and
     * the exposures it saw one day back (the analysis job cannot be made to run yesterday).
     */
    @Test
    void theEffectIsReportedDayByDay() {
        configure(List.of(), split(5000, 5000));
        List<Object> exposures = new ArrayList<>();
        List<Object> purchases = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String arm = i % 2 == 0 ? "on" : "off";
            exposures.add(impression("checkout", "u-" + i, arm, "default rule", start.plusNanos(1000L * i)));
            purchases.add(event("u-" + i, "purchase", (arm.equals("on") ? 12.0 : 10.0) + i % 4, start.plusMillis(50)));
        }
        send("impressions", exposures);
        send("events", purchases);
        JsonNode first = refresh();
        assertThat(first.get("effectOverTime")).hasSize(1);
        jdbc.update("UPDATE analysis_runs SET computed_at = computed_at - interval '1 day'");
        jdbc.update("UPDATE analysis_results SET computed_at = computed_at - interval '1 day'");
        jdbc.update("UPDATE exposures SET first_seen = first_seen - interval '1 day'");

        JsonNode report = refresh();
        JsonNode series = report.get("effectOverTime").get(0);
        assertThat(series.get("metric").asString()).isEqualTo("revenue");
        assertThat(series.get("treatment").asString()).isEqualTo("on");
        assertThat(series.get("days")).hasSize(2);
        JsonNode yesterday = series.get("days").get(0);
        JsonNode today = series.get("days").get(1);
        assertThat(java.time.LocalDate.parse(yesterday.get("day").asString()))
                .isEqualTo(
                        java.time.LocalDate.parse(today.get("day").asString()).minusDays(1));
        JsonNode now = metric(report, "revenue").get("treatments").get(0);
        assertThat(today.get("result").get("absoluteLift").asDouble())
                .isEqualTo(now.get("absoluteLift").asDouble());
        assertThat(yesterday.get("result").get("absoluteLift").asDouble())
                .isEqualTo(metric(first, "revenue")
                        .get("treatments")
                        .get(0)
                        .get("absoluteLift")
                        .asDouble());
        // the stored report reads the same series
        JsonNode stored = expect(admin.get(flagPath() + "/report"), 200).json();
        assertThat(stored.get("effectOverTime").get(0).get("days")).hasSize(2);
    }

    /** A flag that serves no split randomised nobody: nothing is compared, and the report says so. */
    @Test
    void withoutASplitNothingIsCompared() {
        configure(List.of(), Map.of("treatment", "on"));
        List<Object> exposures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            exposures.add(impression("checkout", "u-" + i, i % 2 == 0 ? "on" : "off", "default rule", start));
        }
        send("impressions", exposures);

        JsonNode report = refresh();
        assertThat(report.get("srm").get("status").asString()).isEqualTo("NO_SPLIT");
        assertThat(report.get("split").get("source").asString()).isEqualTo("none");
        assertThat(report.get("notRandomisedUsers").asLong()).isEqualTo(300);
        assertThat(report.get("message").asString()).startsWith("This flag serves no split");
        assertThat(metric(report, "revenue").get("treatments")).isEmpty();
        assertThat(report.get("decision").get("outcome").asString()).isEqualTo("INVESTIGATE");
    }

    private void configure(List<Object> rules, Map<String, Object> defaultServe) {
        Map<String, Object> config = new HashMap<>();
        config.put("enabled", true);
        config.put("offTreatment", "off");
        config.put("rules", rules);
        config.put("defaultServe", defaultServe);
        config.put("trafficAllocation", 10000);
        Fixtures.configure(admin, project, "production", "checkout", config);
    }

    private static Map<String, Object> split(int on, int off) {
        return Map.of(
                "split", List.of(Map.of("treatment", "on", "weight", on), Map.of("treatment", "off", "weight", off)));
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

    private String flagPath() {
        return "/api/v1/projects/" + project + "/environments/production/flags/checkout";
    }

    private JsonNode refresh() {
        // The window ends at the refresh: let the clock pass the last event (at most 100 ms after the start).
        while (Instant.now().isBefore(start.plusMillis(100))) {
            Thread.onSpinWait();
        }
        return expect(admin.post(flagPath() + "/report/refresh", null), 200).json();
    }

    private static Map<String, JsonNode> arms(JsonNode report) {
        Map<String, JsonNode> arms = new HashMap<>();
        report.get("arms").forEach(a -> arms.put(a.get("treatment").asString(), a));
        return arms;
    }

    private static JsonNode metric(JsonNode report, String key) {
        for (JsonNode m : report.get("metrics")) {
            if (m.get("key").asString().equals(key)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + key + " in " + report);
    }

    /** Welch's t interval for the difference of means, from the raw values (independent of the server's code). */
    private record Welch(double controlMean, double treatmentMean, double lift, double lower, double upper) {

        static Welch of(List<Double> control, List<Double> treatment, double alpha) {
            double mc = mean(control);
            double mt = mean(treatment);
            double vc = variance(control, mc) / control.size();
            double vt = variance(treatment, mt) / treatment.size();
            double df = (vc + vt) * (vc + vt) / (vc * vc / (control.size() - 1) + vt * vt / (treatment.size() - 1));
            double t = new TDistribution((RandomGenerator) null, df, 1e-14).inverseCumulativeProbability(1 - alpha / 2);
            double half = t * Math.sqrt(vc + vt);
            return new Welch(mc, mt, mt - mc, mt - mc - half, mt - mc + half);
        }

        private static double mean(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
        }

        private static double variance(List<Double> values, double mean) {
            return values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (values.size() - 1);
        }
    }
}
