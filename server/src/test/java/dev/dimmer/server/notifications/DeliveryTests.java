package dev.dimmer.server.notifications;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Notifications written by {@link TeamNotifications#notify} and sent over real HTTP to a receiver on 127.0.0.1. */
@NotificationsIntegrationTest
class DeliveryTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    TeamNotifications notifications;

    @Autowired
    DeliveryWorker worker;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    MeterRegistry meters;

    @Autowired
    NotificationRetention retention;

    Api admin;
    String project;
    long projectId;
    Receiver receiver;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        projectId = jdbc.queryForObject("SELECT id FROM projects WHERE key = ?", Long.class, project);
        receiver = new Receiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private String teams() {
        return "/api/v1/projects/" + project + "/teams";
    }

    /** A team with one webhook channel posting to {@code path}; the receiver knows its secret. */
    private void teamWithWebhook(String team, String path) {
        expect(admin.post(teams(), Map.of("key", team, "name", "Team " + team)), 201);
        JsonNode channel = expect(
                        admin.post(
                                teams() + "/" + team + "/channels",
                                Map.of("key", "hook", "kind", "webhook", "url", receiver.url(path))),
                        201)
                .json();
        receiver.secret(path, channel.get("secret").asString());
    }

    private Notice alertNotice(String flag) {
        return new Notice(
                "alert.opened",
                project,
                "production",
                flag,
                "Guardrail latency_ms degraded on flag '" + flag + "' in production",
                "latency_ms is 12.0 % worse with treatment on (95 % interval +4.1 % to +19.9 %). Dimmer killed the"
                        + " flag; restore it from the console once fixed.",
                "https://dimmer.example.com/projects/" + project + "/flags/" + flag + "/production",
                Map.of(
                        "metric",
                        "latency_ms",
                        "relativeLift",
                        0.12,
                        "lower",
                        4.1,
                        "upper",
                        19.9,
                        "p",
                        0.0004,
                        "usersPerArm",
                        Map.of("off", 10_210, "on", 10_180),
                        "action",
                        "killed the flag"));
    }

    private void notifyInTransaction(String team, Notice notice) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> notifications.notify(projectId, team, notice));
    }

    private JsonNode notificationsOf(String query) {
        return expect(admin.get("/api/v1/projects/" + project + "/notifications" + query), 200)
                .json();
    }

    private JsonNode awaitOne(String query, String status) {
        return await().atMost(PATIENCE)
                .until(
                        () -> notificationsOf(query),
                        list -> list.size() == 1
                                && status.equals(list.get(0).get("status").asString()))
                .get(0);
    }

    @Test
    void aWebhookThatAnswers500TwiceIsDeliveredOnTheThirdAttempt_signed_andTheLogShowsEveryAttempt() {
        teamWithWebhook("checkout", "/flaky");
        receiver.script("/flaky", 500, 500, 200);
        double sentBefore = meters.counter("dimmer.notifications.attempts", "outcome", "sent")
                .count();
        double failedBefore = meters.counter("dimmer.notifications.attempts", "outcome", "failed")
                .count();

        notifyInTransaction("checkout", alertNotice("checkout-v2"));

        JsonNode sent = awaitOne("?team=checkout", "sent");
        assertThat(sent.get("attempts").asInt()).isEqualTo(3);
        JsonNode log = sent.get("deliveries");
        assertThat(log).hasSize(3);
        assertThat(log.get(0).get("statusCode").asInt()).isEqualTo(500);
        assertThat(log.get(1).get("statusCode").asInt()).isEqualTo(500);
        assertThat(log.get(2).get("statusCode").asInt()).isEqualTo(200);
        assertThat(log.get(0).get("responseBody").asString()).isEqualTo("answer 500 from the test receiver");
        assertThat(log.get(0).get("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(log.get(0).get("at").asString()).isNotBlank();
        assertThat(sent.get("channel").asString()).isEqualTo("checkout/hook");

        List<Receiver.Received> requests = receiver.at("/flaky");
        assertThat(requests).hasSize(3).allSatisfy(r -> {
            assertThat(r.signatureValid()).as("signature and timestamp verify").isTrue();
            assertThat(r.header("X-Dimmer-Delivery"))
                    .isEqualTo(sent.get("deliveryId").asString());
        });
        assertThat(requests.stream().map(Receiver.Received::body).distinct())
                .as("every attempt sends the same bytes")
                .hasSize(1);
        JsonNode payload = JSON.readTree(requests.get(2).body());
        System.out.println("webhook payload from a test run: " + requests.get(2).body());
        assertThat(payload.get("version").asInt()).isEqualTo(1);
        assertThat(payload.get("id").asString())
                .isEqualTo(sent.get("deliveryId").asString());
        assertThat(payload.get("kind").asString()).isEqualTo("alert.opened");
        assertThat(payload.get("project").asString()).isEqualTo(project);
        assertThat(payload.get("flag").asString()).isEqualTo("checkout-v2");
        assertThat(payload.get("team").asString()).isEqualTo("checkout");
        assertThat(payload.get("details").get("metric").asString()).isEqualTo("latency_ms");

        assertThat(meters.counter("dimmer.notifications.attempts", "outcome", "sent")
                                .count()
                        - sentBefore)
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.counter("dimmer.notifications.attempts", "outcome", "failed")
                                .count()
                        - failedBefore)
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aNotificationIsDeadAfterTheLastAttempt_andRedeliverSendsItOnceTheReceiverIsFixed() {
        teamWithWebhook("payments", "/down");
        receiver.script("/down", 503);
        double deadBefore = meters.counter("dimmer.notifications.dead").count();

        notifyInTransaction("payments", alertNotice("pay-later"));

        JsonNode dead = awaitOne("?team=payments", "dead");
        assertThat(dead.get("attempts").asInt()).isEqualTo(3);
        assertThat(dead.get("deliveries")).hasSize(3);
        assertThat(dead.get("lastError").asString()).contains("attempt 3 of 3", "503");
        assertThat(receiver.at("/down")).hasSize(3);
        assertThat(meters.counter("dimmer.notifications.dead").count() - deadBefore)
                .isGreaterThanOrEqualTo(1);
        assertThat(notificationsOf("?status=dead&team=payments")).hasSize(1);

        receiver.script("/down", 200);
        long id = dead.get("id").asLong();
        JsonNode again = expect(
                        admin.post("/api/v1/projects/" + project + "/notifications/" + id + "/redeliver", null), 200)
                .json();
        assertThat(again.get("id").asLong()).isEqualTo(id);
        JsonNode sent = awaitOne("?team=payments", "sent");
        assertThat(sent.get("deliveries")).hasSize(4);
        assertThat(sent.get("deliveries").get(3).get("statusCode").asInt()).isEqualTo(200);
        assertThat(receiver.at("/down")).hasSize(4);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_entries WHERE project = ? AND action = 'redeliver'"
                                + " AND entity_type = 'notification' AND entity_key = ?",
                        Long.class,
                        project,
                        String.valueOf(id)))
                .isEqualTo(1);
        expect(admin.post("/api/v1/projects/" + project + "/notifications/999999999/redeliver", null), 404);
    }

    @Test
    void aNotificationWrittenInATransactionThatRollsBackIsNeverSent() {
        teamWithWebhook("search", "/rollback");
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            notifications.notify(projectId, "search", alertNotice("rolled-back"));
            tx.setRollbackOnly();
        });
        notifyInTransaction("search", alertNotice("committed"));

        JsonNode sent = awaitOne("?team=search", "sent");
        assertThat(sent.get("flag").asString()).isEqualTo("committed");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM notifications WHERE project_id = ? AND flag = 'rolled-back'",
                        Long.class,
                        projectId))
                .isZero();
    }

    @Test
    void workersRacingOnTheSameRowsSendEachNotificationExactlyOnce() throws Exception {
        teamWithWebhook("race", "/race");
        int count = 40;
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            for (int i = 0; i < count; i++) {
                notifications.notify(projectId, "race", alertNotice("flag-" + i));
            }
        });

        // Four more workers besides the scheduled one, released together onto the same due rows.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(() -> {
                start.await();
                return worker.deliverDue();
            }));
        }
        start.countDown();
        for (Future<Integer> run : runs) {
            run.get();
        }
        pool.shutdown();

        await().atMost(PATIENCE)
                .until(() -> notificationsOf("?team=race&status=sent&limit=500").size() == count);
        Map<String, Long> perDelivery = receiver.at("/race").stream()
                .collect(Collectors.groupingBy(r -> r.header("X-Dimmer-Delivery"), Collectors.counting()));
        assertThat(perDelivery).hasSize(count);
        assertThat(perDelivery.values()).allMatch(n -> n == 1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM notification_attempts a JOIN notifications n ON n.id = a.notification_id"
                                + " WHERE n.project_id = ?",
                        Long.class,
                        projectId))
                .isEqualTo(count);
    }

    @Test
    void aFlagWhoseTeamHasNoChannelNotifiesTheProjectsDefaultChannels_inSlackBlocks() {
        expect(admin.post(teams(), Map.of("key", "silent")), 201);
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/channels",
                        Map.of("key", "ops-room", "kind", "slack", "url", receiver.url("/slack/T000/B000/xyz"))),
                201);

        notifyInTransaction("silent", alertNotice("fallback"));
        notifyInTransaction(null, alertNotice("no-team"));

        await().atMost(PATIENCE).until(() -> receiver.at("/slack/T000/B000/xyz").size() == 2);
        Receiver.Received slack = receiver.at("/slack/T000/B000/xyz").get(0);
        assertThat(slack.header("X-Dimmer-Signature"))
                .as("Slack channels are not signed")
                .isNull();
        System.out.println("Slack payload from a test run: " + slack.body());
        JsonNode body = JSON.readTree(slack.body());
        assertThat(body.get("text").asString()).contains("Guardrail latency_ms degraded");
        String blocks = body.get("blocks").toString();
        assertThat(blocks)
                .contains(
                        "\"type\":\"header\"",
                        "*Metric*",
                        "latency_ms",
                        "+12.0 % (95 % interval +4.1 to +19.9), p = 0.0004",
                        "off: ",
                        "on: ")
                .contains("killed the flag", "Open in Dimmer", "https://dimmer.example.com/projects/" + project);
        Function<JsonNode, String> team =
                n -> n.get("team").isNull() ? null : n.get("team").asString();
        JsonNode listed = notificationsOf("?channel=default/ops-room");
        assertThat(listed).hasSize(2);
        assertThat(listed.findValuesAsString("channelKind")).containsOnly("slack");
        assertThat(team.apply(listed.get(1))).isEqualTo("silent");
    }

    @Test
    void aWorkerThatDiesMidSendLeavesTheNotificationPending_andAnotherSendsIt() {
        teamWithWebhook("crash", "/crash");
        receiver.holdFirst("/crash");

        notifyInTransaction("crash", alertNotice("survivor"));

        // A worker has claimed it and is waiting for the receiver's answer, holding the row locked.
        await().atMost(PATIENCE).until(() -> receiver.at("/crash").size() == 1);
        // Its replica dies: PostgreSQL ends its session, which releases the lock and rolls its transaction back.
        Integer killed = await().atMost(PATIENCE)
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity"
                                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                                        + " AND state = 'idle in transaction' AND query LIKE '%notification%'",
                                Integer.class),
                        n -> n == 1);
        assertThat(killed).isEqualTo(1);

        JsonNode sent = awaitOne("?team=crash", "sent");
        receiver.release("/crash");
        assertThat(sent.get("attempts").asInt()).isEqualTo(1);
        assertThat(sent.get("deliveries")).hasSize(1);
        List<Receiver.Received> requests = receiver.at("/crash");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).header("X-Dimmer-Delivery"))
                .as("the same delivery id, so the receiver can drop the repeat")
                .isEqualTo(requests.get(0).header("X-Dimmer-Delivery"));
        assertThat(requests).allMatch(Receiver.Received::signatureValid);
    }

    @Test
    void sentAndDeadNotificationsOlderThanTheRetentionArePurged_pendingOnesNever() {
        teamWithWebhook("old", "/old");
        notifyInTransaction("old", alertNotice("ancient"));
        awaitOne("?team=old", "sent");
        notifyInTransaction("old", alertNotice("recent"));
        await().atMost(PATIENCE)
                .until(() -> notificationsOf("?team=old&status=sent").size() == 2);
        jdbc.update(
                "UPDATE notifications SET finished_at = now() - interval '31 days' WHERE project_id = ? AND flag = ?",
                projectId,
                "ancient");
        // A pending one, however old, stays (due only tomorrow, so no worker sends it meanwhile).
        jdbc.update(
                "INSERT INTO notifications (delivery_id, project_id, channel_key, channel_kind, kind, title, body,"
                        + " status, max_attempts, next_attempt_at, created_at) VALUES (gen_random_uuid(), ?,"
                        + " 'old/gone', 'WEBHOOK', 'test', 'stuck', '{}', 'PENDING', 3, now() + interval '1 day',"
                        + " now() - interval '60 days')",
                projectId);

        assertThat(retention.purge()).isGreaterThanOrEqualTo(1);

        assertThat(notificationsOf("?team=old").findValuesAsString("flag")).containsExactly("recent");
        assertThat(notificationsOf("?status=pending").findValuesAsString("title"))
                .contains("stuck");
    }

    @Test
    void aPendingNotificationWhoseChannelWasDeletedIsMarkedDead_andCannotBeRedelivered() {
        teamWithWebhook("gone", "/gone");
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            notifications.notify(projectId, "gone", alertNotice("orphan"));
            // Not due before the channel is gone.
            jdbc.update(
                    "UPDATE notifications SET next_attempt_at = now() + interval '1 day' WHERE project_id = ?",
                    projectId);
        });
        expect(admin.delete(teams() + "/gone/channels/hook"), 204);
        jdbc.update("UPDATE notifications SET next_attempt_at = now() WHERE project_id = ?", projectId);

        JsonNode dead = awaitOne("?team=gone", "dead");
        assertThat(dead.get("lastError").asString()).contains("gone/hook", "deleted");
        assertThat(dead.get("deliveries")).isEmpty();
        assertThat(receiver.at("/gone")).isEmpty();
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/notifications/"
                                + dead.get("id").asLong() + "/redeliver",
                        null),
                409);
    }
}
