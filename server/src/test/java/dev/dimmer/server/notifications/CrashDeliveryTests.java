package dev.dimmer.server.notifications;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A server process killed with SIGKILL after a plan step (and its notification) committed but before the notification
 * was sent: the server started again on the same database sends it, once.
 */
class CrashDeliveryTests {

    @Test
    void aNotificationCommittedBeforeASigkillIsDeliveredOnceAfterTheRestart() throws Exception {
        TestDatabase database = TestDatabase.create();
        Path log = Files.createTempFile("dimmer-notification-crash", ".log");
        try (Receiver receiver = new Receiver()) {
            // The first server never runs its delivery worker: everything it commits is still to be sent when it dies.
            Process server = start(database, freePort(), log, "PT1H");
            String project;
            try {
                Api admin = Api.admin(awaitReady(server, log));
                project = Fixtures.project(admin);
                expect(admin.post("/api/v1/projects/" + project + "/teams", Map.of("key", "checkout")), 201);
                JsonNode hook = expect(
                                admin.post(
                                        "/api/v1/projects/" + project + "/teams/checkout/channels",
                                        Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/crash"))),
                                201)
                        .json();
                receiver.secret("/crash", hook.get("secret").asString());
                Fixtures.flag(admin, project, "new-cart"); // ownerTeam: checkout
                String plan = "/api/v1/projects/" + project + "/environments/production/flags/new-cart/plan";
                Map<String, Object> stage = Map.of(
                        "segments",
                        List.of(),
                        "weight",
                        500,
                        "minDuration",
                        "PT1H",
                        "minSamplePerArm",
                        100,
                        "requiresApproval",
                        false);
                expect(admin.put(plan, Map.of("onBreach", "KILL", "stages", List.of(stage))), 201);
                expect(admin.post(plan + "/start", null), 200);
                JsonNode pending = expect(admin.get("/api/v1/projects/" + project + "/notifications"), 200)
                        .json();
                assertThat(pending).hasSize(1);
                assertThat(pending.get(0).get("status").asString()).isEqualTo("pending");
            } finally {
                server.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
                server.waitFor();
            }
            assertThat(receiver.received).isEmpty();

            Process restarted = start(database, freePort(), log, "PT0.2S");
            try {
                Api admin = Api.admin(awaitReady(restarted, log));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> receiver.at("/crash").size() == 1);
                Receiver.Received received = receiver.at("/crash").get(0);
                assertThat(received.signatureValid()).isTrue();
                assertThat(received.body()).contains("\"kind\":\"plan.started\"", "\"flag\":\"new-cart\"");
                JsonNode sent = await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> expect(admin.get("/api/v1/projects/" + project + "/notifications"), 200)
                                        .json()
                                        .get(0),
                                n -> "sent".equals(n.get("status").asString()));
                assertThat(sent.get("deliveries")).hasSize(1);
                assertThat(receiver.at("/crash")).as("sent once").hasSize(1);
            } finally {
                restarted.destroyForcibly();
                restarted.waitFor();
            }
        }
    }

    private static Process start(TestDatabase database, int port, Path log, String interval) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path argfile = Files.createTempFile("dimmer-notification-crash", ".args");
        Files.writeString(argfile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n");
        argfile.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "@" + argfile,
                "dev.dimmer.server.DimmerApplication",
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--logging.level.root=WARN",
                "--dimmer.analysis.interval=PT1H",
                "--dimmer.rollout.interval=PT1H",
                "--dimmer.notifications.interval=" + interval,
                "--dimmer.notifications.allow-addresses=127.0.0.1");
        builder.environment().put("SPRING_DATASOURCE_URL", database.jdbcUrl());
        builder.environment().put("SPRING_DATASOURCE_USERNAME", database.username());
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", database.password());
        builder.environment().put("DIMMER_ADMIN_TOKEN", Api.ADMIN_TOKEN);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        PORTS.put(process.pid(), port);
        return process;
    }

    /** The port once the server answers its readiness probe. */
    private static int awaitReady(Process process, Path log) throws Exception {
        String ready = "http://127.0.0.1:" + portOf(process) + "/actuator/health/readiness";
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the server exited: " + Files.readString(log));
                    }
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(URI.create(ready))
                                                        .timeout(Duration.ofSeconds(2))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .statusCode()
                                == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        return portOf(process);
    }

    private static final Map<Long, Integer> PORTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static int portOf(Process process) {
        return PORTS.get(process.pid());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
