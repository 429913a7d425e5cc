package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;

/**
 * "It's me" ({@link ItsMeScenario}): of ten flags ramping at once, the one whose treatment makes the service slower
 * and fail more is found, named, announced and killed, while the nine others ramp to 100 %.
 *
 * <p>{@link #theHarmfulFlagIsFoundAmongTenAndKilled_whileTheNineOthersRampTo100Percent} runs the scenario once with
 * the default seed ({@code -Ddimmer.itsme.seed} to change it). {@link #catchAndFalseAlertRatesOverSeeds} runs it
 * {@code -Ddimmer.itsme.seeds=N} times with seeds 1..N and writes the rates to {@code target/itsme/rates.txt}
 * (docs/performance.md, "It's me" has the command and one run's numbers).
 */
class ItsMeTests {

    static final long DEFAULT_SEED = 7;

    static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void theHarmfulFlagIsFoundAmongTenAndKilled_whileTheNineOthersRampTo100Percent() throws Exception {
        long seed = Long.getLong("dimmer.itsme.seed", DEFAULT_SEED);
        List<ServerProcess> replicas = List.of(JarReplicas.a(), JarReplicas.b());
        try (ItsMeScenario scenario = new ItsMeScenario(seed, replicas, receiver)) {
            String harmful = scenario.harmful;
            scenario.startServices();
            scenario.start();
            Map<String, String> planStatus = scenario.awaitSettled(Duration.ofMinutes(3));
            Duration ramp = Duration.between(scenario.started(), Instant.now());

            // Killed, automatically, and every service's SDK serves it killed.
            JsonNode configuration = scenario.configuration(harmful);
            assertThat(configuration.get("killed").asBoolean())
                    .as("the harmful flag '%s' is killed; plans: %s", harmful, planStatus)
                    .isTrue();
            String killedBy = scenario.killedBy(harmful);
            assertThat(killedBy)
                    .as("killed by the guardrail policy or the plan, not by a person")
                    .matches("guardrail:(latency|errors)|plan:\\d+");
            assertThat(Awaiting.until(
                            Duration.ofSeconds(30),
                            () -> scenario.services().stream()
                                    .allMatch(c -> "killed"
                                            .equals(c.getTreatment(harmful, "after-kill")
                                                    .label()))))
                    .as("every SDK serves '%s' killed", harmful)
                    .isTrue();
            assertThat(planStatus.get(harmful)).isEqualTo("HALTED");

            // The alert names the harmful flag, and only it: no guardrail alert for the nine others.
            JsonNode alerts = scenario.guardrailAlerts();
            List<String> alertFlags = new ArrayList<>();
            alerts.forEach(a -> alertFlags.add(a.get("flag").asString()));
            assertThat(alertFlags)
                    .as("guardrail alerts of the project")
                    .isNotEmpty()
                    .containsOnly(harmful);
            JsonNode alert = alerts.get(0);
            assertThat(alert.get("ownerTeam").asString()).isEqualTo(ItsMeScenario.TEAM);
            assertThat(alert.get("treatment").asString()).isEqualTo("on");
            assertThat(alert.get("effect").asDouble()).as("worse with 'on'").isPositive();
            assertThat(alert.get("summary").asString()).contains("worse with 'on'");

            // The nine others ramped to 100 %, each plan completed.
            for (String flag : ItsMeScenario.FLAG_NAMES) {
                if (!flag.equals(harmful)) {
                    assertThat(planStatus.get(flag))
                            .as(
                                    "plan of healthy flag '%s' (%s)",
                                    flag, scenario.plan(flag).get("statusReason"))
                            .isEqualTo("COMPLETED");
                    assertThat(onWeight(scenario.configuration(flag)))
                            .as("'%s' serves 'on' to everyone", flag)
                            .isEqualTo(10_000);
                }
            }

            // A signed notification about the harmful flag reached the team's receiver.
            assertThat(Awaiting.until(
                            Duration.ofSeconds(30),
                            () -> receiver.at(scenario.hookPath).stream()
                                    .anyMatch(r -> r.is("alert.opened") && r.about(harmful))))
                    .as("alert.opened for '%s' delivered; received %s", harmful, receiver.at(scenario.hookPath))
                    .isTrue();
            assertThat(receiver.at(scenario.hookPath))
                    .as("every notification is signed with the channel's secret")
                    .allMatch(WebhookReceiver.Received::signatureValid);
            assertThat(receiver.at(scenario.hookPath).stream()
                            .filter(r -> r.is("alert.opened"))
                            .filter(r -> !r.about(harmful)))
                    .as("no alert about another flag")
                    .isEmpty();

            // Nothing the services recorded was lost, and the final reports show no degraded guardrail for the nine.
            scenario.stopTraffic();
            scenario.services()
                    .forEach(c -> assertThat(
                                    c.stats().eventsDropped() + c.stats().impressionsDropped())
                            .as("dropped by %s", c.stats())
                            .isZero());
            Instant drained = Instant.now();
            scenario.awaitReportsAfter(drained, Duration.ofSeconds(30));
            ItsMeScenario.Outcome outcome = scenario.outcome(planStatus, ramp);
            assertThat(outcome.degradedGuardrails())
                    .as("degraded guardrails of the nine")
                    .isEmpty();
            assertThat(scenario.degradedGuardrails(harmful))
                    .as("the harmful flag's own report")
                    .isNotEmpty();
            // The alert tells the on-call engineer the flag is already killed, and by whom (usually the plan, which
            // reads the report before the alert pass does).
            assertThat(Awaiting.until(Duration.ofSeconds(30), () -> {
                        JsonNode now = scenario.guardrailAlerts().get(0);
                        return "KILLED".equals(now.path("action").asString(null))
                                && killedBy.equals(now.path("actionBy").asString(null));
                    }))
                    .as("the alert records the kill by %s: %s", killedBy, scenario.guardrailAlerts())
                    .isTrue();

            Map<String, Instant> seen = scenario.killSeenAt();
            Instant killedAt = scenario.killedAt(harmful);
            String line = outcome.line() + "; kill seen by the SDKs after "
                    + seen.values().stream()
                            .map(t -> Duration.between(killedAt, t).toMillis() + " ms")
                            .toList();
            System.out.println(line);
            write("default-seed.txt", line + "\nalert: " + alert + "\n");
        }
    }

    /**
     * The slower profile: {@code -Ddimmer.itsme.seeds=N} runs the scenario with seeds 1..N on the same replicas and
     * records how often the harmful flag was caught (alerted and killed) and how often a healthy flag got a guardrail
     * alert. It asserts only what a regression would break badly (the rates themselves are the result).
     */
    @Test
    @EnabledIfSystemProperty(named = "dimmer.itsme.seeds", matches = "\\d+")
    void catchAndFalseAlertRatesOverSeeds() throws Exception {
        int seeds = Integer.getInteger("dimmer.itsme.seeds");
        List<ItsMeScenario.Outcome> outcomes = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        int errors = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            // Each seed on a fresh database and replicas, as the default test runs.
            List<ServerProcess> pair = JarReplicas.freshPair("seed-" + seed);
            try (ItsMeScenario scenario = new ItsMeScenario(seed, pair, receiver)) {
                scenario.startServices();
                scenario.start();
                Map<String, String> status = scenario.awaitSettled(Duration.ofMinutes(4));
                Duration ramp = Duration.between(scenario.started(), Instant.now());
                scenario.stopTraffic();
                scenario.awaitReportsAfter(Instant.now(), Duration.ofSeconds(30));
                ItsMeScenario.Outcome outcome = scenario.outcome(status, ramp);
                outcomes.add(outcome);
                lines.append(outcome.line()).append('\n');
                System.out.println(outcome.line());
            } catch (AssertionError | RuntimeException e) {
                // A run that could not be carried out (not a verdict on the platform): recorded and left out.
                errors++;
                lines.append("seed ")
                        .append(seed)
                        .append(": not carried out: ")
                        .append(e)
                        .append('\n');
                System.out.println("seed " + seed + ": not carried out: " + e);
            } finally {
                for (ServerProcess s : pair) {
                    s.close();
                }
            }
            write("rates.txt", summary(outcomes) + "runs not carried out: " + errors + "\n" + lines);
        }
        String summary = summary(outcomes);
        System.out.println(summary);
        write("rates.txt", summary + "runs not carried out: " + errors + "\n" + lines);
        assertThat(errors).as("runs not carried out").isLessThanOrEqualTo(seeds / 10);
        long caught = outcomes.stream().filter(ItsMeScenario.Outcome::caught).count();
        assertThat(caught).as(summary).isGreaterThanOrEqualTo(Math.round(outcomes.size() * 0.8));
    }

    /** The weight of 'on' in the default rule's split (10000 when it serves 'on' alone). */
    static int onWeight(JsonNode configuration) {
        JsonNode serve = configuration.get("defaultServe");
        JsonNode split = serve.get("split");
        if (split == null || split.isNull()) {
            return "on".equals(serve.get("treatment").asString()) ? 10_000 : 0;
        }
        for (JsonNode arm : split) {
            if ("on".equals(arm.get("treatment").asString())) {
                return configuration.get("trafficAllocation").asInt()
                        * arm.get("weight").asInt()
                        / 10_000;
            }
        }
        return 0;
    }

    static String summary(List<ItsMeScenario.Outcome> outcomes) {
        int n = outcomes.size();
        long caught = outcomes.stream().filter(ItsMeScenario.Outcome::caught).count();
        long runsWithFalseAlert =
                outcomes.stream().filter(o -> !o.falselyAlerted().isEmpty()).count();
        long falseAlerts =
                outcomes.stream().mapToLong(o -> o.falselyAlerted().size()).sum();
        long incomplete =
                outcomes.stream().filter(o -> o.healthyCompleted().size() < 9).count();
        long degraded =
                outcomes.stream().filter(o -> !o.degradedGuardrails().isEmpty()).count();
        return String.format(
                java.util.Locale.ROOT,
                "# It's me over %d seeds at %s%n"
                        + "harmful flag caught (alerted and killed): %d/%d = %.3f%n"
                        + "runs with a guardrail alert on a healthy flag: %d/%d = %.3f (healthy flags alerted: %d of %d"
                        + " = %.4f)%n"
                        + "runs where a healthy plan did not complete: %d/%d; runs with a degraded guardrail in a"
                        + " healthy flag's final report: %d/%d%n",
                n,
                Instant.now(),
                caught,
                n,
                (double) caught / n,
                runsWithFalseAlert,
                n,
                (double) runsWithFalseAlert / n,
                falseAlerts,
                9L * n,
                (double) falseAlerts / (9.0 * n),
                incomplete,
                n,
                degraded,
                n);
    }

    static void write(String file, String text) throws IOException {
        Path path = Path.of("target", "itsme", file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
