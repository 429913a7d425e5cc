package dev.dimmer.server.notifications;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimmer.server.DimmerApplication;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Whole servers on one database: notifications committed by a server that then goes away are sent by the servers
 * that come up after it, and two of them working the same outbox at once send each notification exactly once.
 */
class ReplicaDeliveryTests {

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
                        // No scheduled delivery pass: the test decides when each server's worker runs.
                        "--dimmer.notifications.interval=PT1H",
                        "--dimmer.notifications.allow-addresses=127.0.0.1");
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void notificationsCommittedBeforeAServerWentAwayAreSentOnceByTheTwoServersAfterIt() throws Exception {
        TestDatabase database = TestDatabase.create();
        int count = 30;
        try (Receiver receiver = new Receiver()) {
            String project;
            try (ConfigurableApplicationContext first = start(database)) {
                Api admin = Api.admin(port(first));
                project = Fixtures.project(admin);
                expect(admin.post("/api/v1/projects/" + project + "/teams", Map.of("key", "checkout")), 201);
                JsonNode hook = expect(
                                admin.post(
                                        "/api/v1/projects/" + project + "/teams/checkout/channels",
                                        Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/replicas"))),
                                201)
                        .json();
                receiver.secret("/replicas", hook.get("secret").asString());
                long projectId = first.getBean(JdbcTemplate.class)
                        .queryForObject("SELECT id FROM projects WHERE key = ?", Long.class, project);
                TeamNotifications notifications = first.getBean(TeamNotifications.class);
                new TransactionTemplate(first.getBean(PlatformTransactionManager.class)).executeWithoutResult(tx -> {
                    for (int i = 0; i < count; i++) {
                        notifications.notify(
                                projectId,
                                "checkout",
                                new Notice(
                                        "alert.opened",
                                        project,
                                        "production",
                                        "flag-" + i,
                                        "Guardrail errors degraded on flag-" + i,
                                        "errors up",
                                        null,
                                        Map.of("metric", "errors")));
                    }
                });
            } // the first server goes away before any of them is sent
            assertThat(receiver.received).isEmpty();

            try (ConfigurableApplicationContext b = start(database);
                    ConfigurableApplicationContext c = start(database)) {
                List<DeliveryWorker> workers =
                        List.of(b.getBean(DeliveryWorker.class), c.getBean(DeliveryWorker.class));
                ExecutorService pool = Executors.newFixedThreadPool(4);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> runs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    DeliveryWorker worker = workers.get(i % 2);
                    runs.add(pool.submit(() -> {
                        go.await();
                        return worker.deliverDue();
                    }));
                }
                go.countDown();
                int attempted = 0;
                for (Future<Integer> run : runs) {
                    attempted += run.get();
                }
                pool.shutdown();
                assertThat(attempted).as("attempts over both servers").isEqualTo(count);

                Api admin = Api.admin(port(c));
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> expect(
                                                admin.get("/api/v1/projects/" + project
                                                        + "/notifications?status=sent&limit=500"),
                                                200)
                                        .json()
                                        .size(),
                                n -> n == count);
                Map<String, Long> perDelivery = receiver.at("/replicas").stream()
                        .collect(Collectors.groupingBy(r -> r.header("X-Dimmer-Delivery"), Collectors.counting()));
                assertThat(perDelivery).hasSize(count);
                assertThat(perDelivery.values()).allMatch(n -> n == 1);
                assertThat(receiver.at("/replicas")).allMatch(Receiver.Received::signatureValid);
                List<String> senders = c.getBean(JdbcTemplate.class)
                        .queryForList("SELECT DISTINCT worker FROM notification_attempts", String.class);
                System.out.println("notifications sent by " + senders);
            }
        }
    }
}
