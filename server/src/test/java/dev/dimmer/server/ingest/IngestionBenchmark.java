package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.ingest.Items.Event;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * End-to-end ingestion (HTTP batches of 1 000 events → committed rows) against raw COPY of the same rows into the
 * same table, in one run (DESIGN.md §7). Not part of the normal suite; run it with
 *
 * <pre>
 * ./mvnw -B -q -pl server -am test -Dtest='dev.dimmer.server.ingest.IngestionBenchmark' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Ddimmer.benchmark=true
 * </pre>
 *
 * Results are printed and written to {@code server/target/ingestion-benchmark.txt}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "dimmer.benchmark", matches = "true")
@IntegrationTest
class IngestionBenchmark {

    static final int BATCH = 1000;
    static final int BATCHES = Integer.getInteger("dimmer.benchmark.batches", 900);
    static final int CLIENTS = Integer.getInteger("dimmer.benchmark.clients", 4);
    static final int ROUNDS = 3;
    /** Batches sent before measuring, so that the server runs JIT-compiled code as it would in production. */
    static final int WARMUP = Integer.getInteger("dimmer.benchmark.warmup", 300);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Autowired
    IngestService ingest;

    @Test
    void ingestionAgainstRawCopy() throws Exception {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        String sdkKey = IngestFixtures.sdkKey(admin, project, "production");
        long environmentId = IngestFixtures.environmentId(jdbc, project, "production");

        Instant now = Instant.now();
        SplittableRandom random = new SplittableRandom(42);
        List<List<Event>> batches = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < BATCHES + WARMUP; b++) {
            List<Event> events = new ArrayList<>(BATCH);
            StringBuilder json = new StringBuilder(BATCH * 110)
                    .append("{\"batchId\":\"")
                    .append(UUID.randomUUID())
                    .append(
                            "\",\"sdk\":{\"name\":\"bench\",\"version\":\"1\",\"instanceId\":\"bench-1\"},\"events\":[");
            for (int i = 0; i < BATCH; i++) {
                String key = "user-" + random.nextInt(1_000_000);
                String type = i % 4 == 0 ? "purchase" : "page.view";
                double value = Math.round(random.nextDouble() * 10_000) / 100.0;
                Instant time = now.minusMillis(random.nextInt(3_600_000));
                events.add(new Event(key, type, value, null, time));
                json.append(i == 0 ? "" : ",")
                        .append("{\"key\":\"")
                        .append(key)
                        .append("\",\"type\":\"")
                        .append(type)
                        .append("\",\"value\":")
                        .append(value)
                        .append(",\"time\":\"")
                        .append(time)
                        .append("\"}");
            }
            batches.add(events);
            bodies.add(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }

        // warm-up: JIT of server, parser, writer and client
        try (RawHttp http = new RawHttp(port, sdkKey)) {
            for (int b = 0; b < WARMUP; b++) {
                assertThat(http.post(bodies.get(b))).isEqualTo(202);
            }
        }
        List<byte[]> measured = bodies.subList(WARMUP, bodies.size());
        List<byte[]> binary = new ArrayList<>();
        List<byte[]> text = new ArrayList<>();
        for (List<Event> events : batches.subList(WARMUP, batches.size())) {
            binary.add(CopyBinary.events(environmentId, events));
            text.add(IngestService.eventRows(environmentId, events));
        }
        String copyText = "COPY events (environment_id, key, type, value, properties, time) FROM STDIN";

        // Interleaved rounds, so that the other work on this shared machine hits every mode alike.
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        double[] httpSeconds = new double[1];
        double[] binarySeconds = new double[1];
        double[] textSeconds = new double[1];
        double[] storeSeconds = new double[1];
        List<BatchReader.Batch> parsed = new ArrayList<>();
        for (List<Event> events : batches.subList(WARMUP, batches.size())) {
            parsed.add(new BatchReader.Batch(UUID.randomUUID().toString(), null, List.of(), events, List.of(), BATCH));
        }
        List<byte[]> indexes = new ArrayList<>();
        for (int b = 0; b < parsed.size(); b++) {
            indexes.add(new byte[] {(byte) (b >>> 24), (byte) (b >>> 16), (byte) (b >>> 8), (byte) b});
        }
        int[] shed = new int[1];
        double readBefore = seconds("dimmer.ingest.read");
        double writeBefore = seconds("dimmer.ingest.write");
        long before = count(environmentId);
        for (int round = 0; round < ROUNDS; round++) {
            int from = round * BATCHES / ROUNDS;
            int to = (round + 1) * BATCHES / ROUNDS;
            httpSeconds[0] += parallel(
                    clients,
                    measured.subList(from, to),
                    (connection, body) -> {
                        int status;
                        while ((status = connection.http.post(body)) == 429) {
                            shed[0]++;
                            Thread.sleep(5);
                        }
                        assertThat(status).isEqualTo(202);
                    },
                    sdkKey);
            binarySeconds[0] += parallel(
                    clients,
                    binary.subList(from, to),
                    (connection, rows) -> {
                        IngestService.copy(connection.jdbc, IngestService.COPY_EVENTS, rows);
                        connection.jdbc.commit();
                    },
                    sdkKey);
            textSeconds[0] += parallel(
                    clients,
                    text.subList(from, to),
                    (connection, rows) -> {
                        IngestService.copy(connection.jdbc, copyText, rows);
                        connection.jdbc.commit();
                    },
                    sdkKey);
            storeSeconds[0] += parallel(
                    clients,
                    indexes.subList(from, to),
                    (connection, index) -> {
                        int b = ((index[0] & 0xff) << 24)
                                | ((index[1] & 0xff) << 16)
                                | ((index[2] & 0xff) << 8)
                                | (index[3] & 0xff);
                        assertThat(ingest.store(environmentId, BatchKind.EVENTS, parsed.get(b))
                                        .duplicate())
                                .isFalse();
                    },
                    sdkKey);
        }
        clients.shutdown();
        long rows = (long) BATCHES * BATCH;
        assertThat(count(environmentId) - before).as("every row stored").isEqualTo(4 * rows);
        double readMillis = (seconds("dimmer.ingest.read") - readBefore) * 1000 / BATCHES;
        double writeMillis = (seconds("dimmer.ingest.write") - writeBefore) * 1000 / BATCHES;

        // And one single text COPY stream of all rows, which is what psql \copy does
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] chunk : text) all.write(chunk);
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            IngestService.copy(connection, copyText, all.toByteArray());
            connection.commit();
            connection.setAutoCommit(true);
        }
        double streamSeconds = (System.nanoTime() - start) / 1e9;

        double httpRate = rows / httpSeconds[0];
        double binaryRate = rows / binarySeconds[0];
        double textRate = rows / textSeconds[0];
        double streamRate = rows / streamSeconds;
        String report = String.format(
                "ingestion benchmark %s, %d cores, %d batches x %d events, %d clients/connections, %d rounds%n"
                        + "  HTTP end-to-end (202 = committed): %,.0f events/s (%.2f s, %d 429s retried)%n"
                        + "  IngestService.store without HTTP (batch id + COPY + commit): %,.0f rows/s (%.2f s)%n"
                        + "  raw COPY binary, same rows, same 1000-row transactions: %,.0f rows/s (%.2f s)%n"
                        + "  raw COPY text, same rows, same 1000-row transactions: %,.0f rows/s (%.2f s)%n"
                        + "  raw COPY text, one stream of all rows (psql \\copy): %,.0f rows/s (%.2f s)%n"
                        + "  HTTP / raw COPY binary: %.0f %%; HTTP / raw COPY text: %.0f %%;"
                        + " HTTP / one-stream COPY: %.0f %%%n"
                        + "  per batch on the server: read+validate %.2f ms, COPY+commit %.2f ms (wall, %d in parallel)%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                BATCHES,
                BATCH,
                CLIENTS,
                ROUNDS,
                httpRate,
                httpSeconds[0],
                shed[0],
                rows / storeSeconds[0],
                storeSeconds[0],
                binaryRate,
                binarySeconds[0],
                textRate,
                textSeconds[0],
                streamRate,
                streamSeconds,
                100 * httpRate / binaryRate,
                100 * httpRate / textRate,
                100 * httpRate / streamRate,
                readMillis,
                writeMillis,
                CLIENTS);
        System.out.print(report);
        Files.writeString(Path.of("target", "ingestion-benchmark.txt"), report);
    }

    /**
     * A minimal blocking HTTP/1.1 keep-alive client, so that the load generator in the same JVM costs little CPU
     * next to the server (the JDK HttpClient funnels every connection through one selector thread).
     */
    static final class RawHttp implements AutoCloseable {

        private final int port;
        private final byte[] head;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        RawHttp(int port, String sdkKey) throws IOException {
            this.port = port;
            connect();
            head = ("POST /api/sdk/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + sdkKey
                            + "\r\nContent-Type: application/json\r\nContent-Length: ")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        private void connect() throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 65536);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
        }

        int post(byte[] body) throws IOException {
            out.write(head);
            out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header; !(header = line()).isEmpty(); ) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true; // Tomcat closes a keep-alive connection after 100 requests
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().trim(), 16)) > 0; ) {
                    in.skipNBytes(size);
                    line();
                }
                line();
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            if (close) {
                socket.close();
                connect();
            }
            return code;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A client's HTTP connection and database connection. */
    record Connections(RawHttp http, Connection jdbc) {}

    interface Work {
        void run(Connections connections, byte[] item) throws Exception;
    }

    /** Runs {@code work} over {@code items} on {@code CLIENTS} threads; returns the wall time in seconds. */
    private double parallel(ExecutorService clients, List<byte[]> items, Work work, String sdkKey) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            tasks.add(() -> {
                try (RawHttp http = new RawHttp(port, sdkKey);
                        Connection jdbc = dataSource.getConnection()) {
                    jdbc.setAutoCommit(false);
                    Connections connections = new Connections(http, jdbc);
                    for (int b; (b = next.getAndIncrement()) < items.size(); ) {
                        work.run(connections, items.get(b));
                    }
                    jdbc.setAutoCommit(true);
                }
                return null;
            });
        }
        long start = System.nanoTime();
        for (Future<Void> f : clients.invokeAll(tasks)) {
            f.get();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private double seconds(String timer) {
        Timer t = meters.find(timer).tag("kind", "events").timer();
        return t == null ? 0 : t.totalTime(TimeUnit.SECONDS);
    }

    private long count(long environmentId) {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE environment_id = ?", Long.class, environmentId);
    }
}
