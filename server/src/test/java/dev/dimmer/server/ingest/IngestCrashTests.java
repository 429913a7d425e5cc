package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kills a server process with SIGKILL in the middle of a stream of event batches, restarts it on the same database
 * and checks that every batch that got a 202 is stored, exactly once, and that no batch is stored in part.
 */
class IngestCrashTests {

    static final int EVENTS_PER_BATCH = 200;

    /** One item time for the whole run: a retry resends the same content (same id, other content is a 409). */
    static final String TIME = Instant.now().toString();

    @Test
    @Timeout(120)
    void everyAcknowledgedBatchSurvivesAKillExactlyOnce() throws Exception {
        TestDatabase database = TestDatabase.create();
        Path log = Files.createTempFile("dimmer-crash-test", ".log");
        Process server = start(database, freePort(), log);
        try {
            int port = awaitReady(server, log);
            Api admin = Api.admin(port);
            String project = dev.dimmer.server.testsupport.Fixtures.project(admin);
            String sdkKey = IngestFixtures.sdkKey(admin, project, "production");

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> attempted = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread sender = new Thread(() -> {
                    HttpClient http = HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(5))
                            .build();
                    for (int i = 0; i < 10_000 && !stop.get(); i++) {
                        String batchId = UUID.randomUUID().toString();
                        attempted.add(batchId);
                        try {
                            if (send(http, port, sdkKey, batchId) == 202) {
                                acknowledged.add(batchId);
                            }
                        } catch (IOException e) {
                            return; // the server is gone
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sender.start();
                senders.add(sender);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (acknowledged.size() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close of the pool
            server.waitFor();
            stop.set(true);
            for (Thread sender : senders) {
                sender.join(15_000);
            }
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);

            server = start(database, freePort(), log);
            int restarted = awaitReady(server, log);

            Map<String, long[]> stored = storedBatches(database);
            System.out.printf(
                    "crash test: %d batches attempted, %d acknowledged before SIGKILL, %d stored%n",
                    attempted.size(), acknowledged.size(), stored.size());
            for (String batchId : acknowledged) {
                assertThat(stored.get(batchId))
                        .as("acknowledged batch %s", batchId)
                        .containsExactly(EVENTS_PER_BATCH, EVENTS_PER_BATCH);
            }
            for (Map.Entry<String, long[]> batch : stored.entrySet()) {
                assertThat(batch.getValue())
                        .as("batch %s is stored whole or not at all", batch.getKey())
                        .containsExactly(EVENTS_PER_BATCH, EVENTS_PER_BATCH);
                assertThat(attempted).contains(batch.getKey());
            }

            // The SDK retries what it did not see acknowledged, and may retry what it did: all end up stored once.
            HttpClient http = HttpClient.newHttpClient();
            for (String batchId : attempted) {
                assertThat(send(http, restarted, sdkKey, batchId)).isEqualTo(202);
            }
            Map<String, long[]> after = storedBatches(database);
            assertThat(after.keySet()).isEqualTo(attempted);
            after.values().forEach(counts -> assertThat(counts).containsExactly(EVENTS_PER_BATCH, EVENTS_PER_BATCH));
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private static int send(HttpClient http, int port, String sdkKey, String batchId)
            throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder("{\"batchId\":\"")
                .append(batchId)
                .append("\",\"sdk\":{\"name\":\"crash-test\",\"version\":\"1\",\"instanceId\":\"i-1\"},\"events\":[");
        String now = TIME;
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"")
                    .append(batchId)
                    .append(':')
                    .append(i)
                    .append("\",\"type\":\"view\",\"value\":")
                    .append(i)
                    .append(",\"time\":\"")
                    .append(now)
                    .append("\"}");
        }
        body.append("]}");
        HttpResponse<Void> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sdk/v1/events"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + sdkKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    /** batch id → {rows, distinct keys}. */
    private static Map<String, long[]> storedBatches(TestDatabase database) throws Exception {
        Map<String, long[]> batches = new HashMap<>();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT split_part(key, ':', 1), count(*), count(DISTINCT key)" + " FROM events GROUP BY 1")) {
            while (r.next()) {
                batches.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
            }
        }
        return batches;
    }

    private static Process start(TestDatabase database, int port, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path argfile = Files.createTempFile("dimmer-crash-test", ".args");
        Files.writeString(argfile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n");
        argfile.toFile().deleteOnExit();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "@" + argfile,
                "dev.dimmer.server.DimmerApplication",
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--logging.level.root=WARN");
        builder.environment().put("SPRING_DATASOURCE_URL", database.jdbcUrl());
        builder.environment().put("SPRING_DATASOURCE_USERNAME", database.username());
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", database.password());
        builder.environment().put("DIMMER_ADMIN_TOKEN", Api.ADMIN_TOKEN);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        startedPorts.put(process.pid(), port);
        return process;
    }

    private static final Map<Long, Integer> startedPorts = new ConcurrentHashMap<>();

    private static int awaitReady(Process process, Path log) throws Exception {
        int port = startedPorts.get(process.pid());
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not start within 60 s: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
