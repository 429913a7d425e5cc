package dev.dimmer.e2e;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The on-call team's webhook receiver is down for an hour — of time compressed 200-fold by the replicas' configuration
 * ({@link JarReplicas#HOUR}: backoff from 50 ms doubling to 18 s, for 10 s to 1 h) — while notifications keep coming.
 * With the default number of attempts none dies; when the receiver returns every notification arrives, signed, once.
 */
class WebhookOutageTests {

    @Test
    void aReceiverDownForAnHour_getsEveryNotificationWhenItReturns_noneTwice() throws Exception {
        ServerProcess a = JarReplicas.a();
        ServerProcess b = JarReplicas.b();
        Api admin = a.admin();
        String project = Fixtures.project(admin);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            expect(admin.post("/api/v1/projects/" + project + "/teams", Map.of("key", "checkout")), 201);
            String secret = expect(
                            admin.post(
                                    "/api/v1/projects/" + project + "/teams/checkout/channels",
                                    Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/oncall"))),
                            201)
                    .json()
                    .get("secret")
                    .asString();
            receiver.secret("/oncall", secret);
            List<String> flags = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String flag = "flag-" + i;
                flags.add(flag);
                Fixtures.flag(admin, project, flag); // owner team: checkout
                expect(
                        admin.put(
                                plan(project, flag),
                                Map.of(
                                        "stages",
                                        List.of(Map.of(
                                                "weight", 1000, "minDuration", "PT1H", "minSamplePerArm", 100)))),
                        201);
            }

            receiver.stop();
            Instant down = Instant.now();
            // Three notices at the start of the outage (plan.started, through replica A)…
            for (String flag : flags.subList(0, 3)) {
                expect(admin.post(plan(project, flag) + "/start", null), 200);
            }
            assertThat(Awaiting.until(
                            JarReplicas.HOUR,
                            ItsMeScenario.POLL,
                            () -> sinceAtLeast(down, JarReplicas.HOUR.dividedBy(2))
                                    && notifications(admin, project).stream()
                                            .allMatch(n -> n.get("attempts").asInt() >= 3)))
                    .as("half an hour of failed attempts: %s", notifications(admin, project))
                    .isTrue();
            // … and three half way through it (through replica B).
            for (String flag : flags.subList(3, 6)) {
                expect(b.admin().post(plan(project, flag) + "/start", null), 200);
            }
            assertThat(Awaiting.until(
                            JarReplicas.HOUR.multipliedBy(2),
                            ItsMeScenario.POLL,
                            () -> sinceAtLeast(down, JarReplicas.HOUR)))
                    .isTrue();
            List<JsonNode> afterAnHour = notifications(admin, project);
            assertThat(afterAnHour).hasSize(6);
            assertThat(afterAnHour)
                    .as("after an hour down, still pending (not dead): %s", afterAnHour)
                    .allMatch(n -> "pending".equals(n.get("status").asString()));
            assertThat(afterAnHour.stream()
                            .mapToInt(n -> n.get("attempts").asInt())
                            .max()
                            .orElse(0))
                    .as("as many attempts as the earlier default (8) allowed before a notification was dead")
                    .isGreaterThanOrEqualTo(8);
            assertThat(receiver.all()).isEmpty();

            receiver.start();
            Instant up = Instant.now();
            assertThat(Awaiting.until(
                            Duration.ofSeconds(90),
                            ItsMeScenario.POLL,
                            () -> notifications(admin, project).stream()
                                    .allMatch(n -> "sent".equals(n.get("status").asString()))))
                    .as("every notification sent once the receiver is back: %s", notifications(admin, project))
                    .isTrue();
            Duration toDeliver = Duration.between(up, Instant.now());

            List<WebhookReceiver.Received> received = receiver.at("/oncall");
            assertThat(received).hasSize(6).allMatch(WebhookReceiver.Received::signatureValid);
            assertThat(received).allMatch(r -> r.is("plan.started"));
            Set<String> deliveries = new HashSet<>();
            received.forEach(r -> deliveries.add(r.header("X-Dimmer-Delivery")));
            assertThat(deliveries).as("none twice").hasSize(6);
            for (JsonNode n : notifications(admin, project)) {
                JsonNode detail = expect(
                                admin.get("/api/v1/projects/" + project + "/notifications/" + n.get("id")), 200)
                        .json();
                long successes = 0;
                for (JsonNode d : detail.get("deliveries")) {
                    if (d.get("statusCode") != null && d.get("statusCode").asInt() == 200) {
                        successes++;
                    }
                }
                assertThat(successes)
                        .as("successful deliveries of %s", detail.get("title"))
                        .isEqualTo(1);
                assertThat(deliveries).contains(detail.get("deliveryId").asString());
            }
            System.out.println("webhook outage of " + JarReplicas.HOUR + " (an hour): attempts per notification "
                    + afterAnHour.stream().map(n -> n.get("attempts").asInt()).toList() + ", all delivered "
                    + toDeliver.toMillis() + " ms after the receiver returned");
        }
    }

    static String plan(String project, String flag) {
        return "/api/v1/projects/" + project + "/environments/production/flags/" + flag + "/plan";
    }

    static boolean sinceAtLeast(Instant start, Duration d) {
        return !Instant.now().isBefore(start.plus(d));
    }

    static List<JsonNode> notifications(Api admin, String project) {
        List<JsonNode> all = new ArrayList<>();
        expect(admin.get("/api/v1/projects/" + project + "/notifications"), 200)
                .json()
                .forEach(all::add);
        return all;
    }
}
