package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
import tools.jackson.databind.json.JsonMapper;

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
    /** At most this many warm-up rounds (each: every mode over the {@code WARMUP} batches). */
    static final int WARMUP_ROUNDS = Integer.getInteger("dimmer.benchmark.warmup-rounds", 10);
    /** Small batches (10 events) sent first, for the code that runs once per request. */
    static final int WARMUP_REQUESTS = Integer.getInteger("dimmer.benchmark.warmup-requests", 20_000);

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

    @Autowired
    JsonMapper json;

    final AtomicInteger shed = new AtomicInteger();

    @Test
    void ingestionAgainstRawCopy() throws Exception {
        Api admin = Api.admin(port);
        String project = Fixtures.project(admin);
        String sdkKey = IngestFixtures.sdkKey(admin, project, "production");
        long environmentId = IngestFixtures.environmentId(jdbc, project, "production");

        // Each batch as the HTTP body, as parsed by the server (for the store() mode: same rows, another batch id),
        // and as COPY rows: binary exactly as the server writes them, text as psql would send them.
        Instant now = Instant.now();
        SplittableRandom random = new SplittableRandom(42);
        List<byte[]> bodies = new ArrayList<>();
        List<BatchReader.Batch> parsed = new ArrayList<>();
        List<byte[]> text = new ArrayList<>();
        String smallItems = null; // the first 10 events, for the small warm-up requests
        for (int b = 0; b < WARMUP + BATCHES; b++) {
            StringBuilder items = new StringBuilder(BATCH * 100);
            StringBuilder rows = new StringBuilder(BATCH * 80);
            for (int i = 0; i < BATCH; i++) {
                String key = "user-" + random.nextInt(1_000_000);
                String type = i % 4 == 0 ? "purchase" : "page.view";
                double value = Math.round(random.nextDouble() * 10_000) / 100.0;
                Instant time = now.minusMillis(random.nextInt(3_600_000));
                items.append(i == 0 ? "" : ",")
                        .append("{\"key\":\"")
                        .append(key)
                        .append("\",\"type\":\"")
                        .append(type)
                        .append("\",\"value\":")
                        .append(value)
                        .append(",\"time\":\"")
                        .append(time)
                        .append("\"}");
                if (b == 0 && i == 9) {
                    smallItems = items.toString();
                }
                rows.append(environmentId)
                        .append('\t')
                        .append(key)
                        .append('\t')
                        .append(type)
                        .append('\t');
                rows.append(value).append('\t').append("\\N").append('\t');
                rows.append(time.toString().replace('T', ' ').replace("Z", "+00"))
                        .append('\n');
            }
            bodies.add(body("http-" + UUID.randomUUID(), items));
            parsed.add(parse(body("store-" + UUID.randomUUID(), items), environmentId, now));
            text.add(rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        String copyText = "COPY events (environment_id, key, type, value, properties, time) FROM STDIN";

        List<Mode> modes = List.of(
                new Mode("HTTP", (connections, b) -> {
                    int status;
                    while ((status = connections.http.post(bodies.get(b))) == 429) {
                        shed.incrementAndGet();
                        Thread.sleep(5);
                    }
                    assertThat(status).isEqualTo(202);
                }),
                new Mode(
                        "store()",
                        (connections, b) -> assertThat(
                                        ingest.store(parsed.get(b)).duplicate())
                                .isFalse()),
                new Mode("raw COPY binary", (connections, b) -> {
                    IngestService.copy(
                            connections.jdbc,
                            IngestService.COPY_EVENTS,
                            parsed.get(b).rows());
                    connections.jdbc.commit();
                }),
                new Mode("raw COPY text", (connections, b) -> {
                    byte[] rows = text.get(b);
                    IngestService.copy(connections.jdbc, copyText, rows, rows.length);
                    connections.jdbc.commit();
                }));

        // Warm-up, so that what is measured is compiled code, as in a server that has been up for a minute. On two
        // cores the JIT's threads compete with the server and PostgreSQL, and the code that runs once per request
        // (Tomcat, Spring MVC, pgjdbc) is only compiled by C2 after about 10 000 requests: first many small batches,
        // then every mode over the warm-up batches, repeated until the JIT has settled (compiling for less than 5 %
        // of a round's time) or for at most WARMUP_ROUNDS rounds. The tables are emptied between rounds so the same
        // batches (and batch ids) can be written again.
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        String small = smallItems;
        parallel(
                clients,
                0,
                WARMUP_REQUESTS,
                (connections, b) -> assertThat(connections.http.post(body("warm-" + b, small)))
                        .isEqualTo(202),
                sdkKey);
        int warmupRounds = 0;
        double jitShare = 1;
        while (warmupRounds < WARMUP_ROUNDS && jitShare > 0.05) {
            jdbc.execute("TRUNCATE events, ingest_batches");
            long jitBefore = jit.getTotalCompilationTime();
            long started = System.nanoTime();
            for (Mode mode : modes) {
                parallel(clients, 0, WARMUP, mode.work(), sdkKey);
            }
            jitShare = (jit.getTotalCompilationTime() - jitBefore) / ((System.nanoTime() - started) / 1e6);
            warmupRounds++;
        }
        jdbc.execute("TRUNCATE events, ingest_batches");
        long jitBeforeMeasuring = jit.getTotalCompilationTime();
        long measuringStarted = System.nanoTime();
        // Interleaved rounds, so that the other work on this shared machine hits every mode alike.
        double[] seconds = new double[modes.size()];
        long[] allocated = new long[modes.size()];
        List<Map<String, Double>> cpu = new ArrayList<>();
        for (int m = 0; m < modes.size(); m++) cpu.add(new TreeMap<>());
        double readBefore = seconds("dimmer.ingest.read");
        double writeBefore = seconds("dimmer.ingest.write");
        long before = count(environmentId);
        for (int round = 0; round < ROUNDS; round++) {
            int from = WARMUP + round * BATCHES / ROUNDS;
            int to = WARMUP + (round + 1) * BATCHES / ROUNDS;
            for (int m = 0; m < modes.size(); m++) {
                Map<String, Double> cpuBefore = CpuTimes.now();
                long allocatedBefore = requestThreadsAllocatedBytes();
                seconds[m] += parallel(clients, from, to, modes.get(m).work(), sdkKey);
                allocated[m] += requestThreadsAllocatedBytes() - allocatedBefore;
                Map<String, Double> spent = cpu.get(m);
                CpuTimes.now().forEach((k, v) -> spent.merge(k, v - cpuBefore.getOrDefault(k, 0.0), Double::sum));
            }
        }
        clients.shutdown();
        double jitShareMeasured =
                (jit.getTotalCompilationTime() - jitBeforeMeasuring) / ((System.nanoTime() - measuringStarted) / 1e6);
        long rows = (long) BATCHES * BATCH;
        assertThat(count(environmentId) - before).as("every row stored").isEqualTo(modes.size() * rows);
        double readMillis = (seconds("dimmer.ingest.read") - readBefore) * 1000 / BATCHES;
        double writeMillis = (seconds("dimmer.ingest.write") - writeBefore) * 1000 / BATCHES;
        double httpSeconds = seconds[0];
        double storeSeconds = seconds[1];
        double binarySeconds = seconds[2];
        double textSeconds = seconds[3];
        List<byte[]> measuredText = text.subList(WARMUP, text.size());

        // And one single text COPY stream of all rows, which is what psql \copy does
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] chunk : measuredText) all.write(chunk);
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            IngestService.copy(connection, copyText, all.toByteArray(), all.size());
            connection.commit();
            connection.setAutoCommit(true);
        }
        double streamSeconds = (System.nanoTime() - start) / 1e9;

        double httpRate = rows / httpSeconds;
        double binaryRate = rows / binarySeconds;
        double textRate = rows / textSeconds;
        double streamRate = rows / streamSeconds;
        String report = String.format(
                "ingestion benchmark %s, %d cores, %d batches x %d events, %d clients/connections, %d rounds"
                        + " after %d requests of 10 events and %d warm-up rounds of %d batches per mode (JIT compiling"
                        + " %.0f %% of the last warm-up"
                        + " round, %.0f %% of the measured rounds)%n"
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
                WARMUP_REQUESTS,
                warmupRounds,
                WARMUP,
                100 * jitShare,
                100 * jitShareMeasured,
                httpRate,
                httpSeconds,
                shed.get(),
                rows / storeSeconds,
                storeSeconds,
                binaryRate,
                binarySeconds,
                textRate,
                textSeconds,
                streamRate,
                streamSeconds,
                100 * httpRate / binaryRate,
                100 * httpRate / textRate,
                100 * httpRate / streamRate,
                readMillis,
                writeMillis,
                CLIENTS);
        StringBuilder perBatch = new StringBuilder(String.format(
                "  allocated by the server's request threads: %.1f KB per HTTP batch%n",
                allocated[0] / 1024.0 / BATCHES));
        perBatch.append("  CPU per batch (ms), from /proc:\n");
        for (int m = 0; m < modes.size(); m++) {
            perBatch.append(String.format("    %-16s", modes.get(m).name()));
            cpu.get(m).forEach((k, v) -> perBatch.append(String.format("  %s %.2f", k, v * 1000 / BATCHES)));
            perBatch.append('\n');
        }
        report += perBatch;
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

    /**
     * CPU seconds so far of this JVM's threads, by what they do, and of all PostgreSQL processes on this host, read
     * from {@code /proc} (Linux; empty elsewhere). In the HTTP mode the client threads are the load generator; in the
     * other modes they run the store or the COPY themselves.
     */
    static final class CpuTimes {

        private static final double TICK = 0.01; // USER_HZ is 100 on Linux

        static Map<String, Double> now() {
            Map<String, Double> seconds = new TreeMap<>();
            try (var threads = Files.list(Path.of("/proc/self/task"))) {
                threads.forEach(t -> add(seconds, t.resolve("stat"), true));
            } catch (IOException e) {
                return seconds;
            }
            try (var processes = Files.list(Path.of("/proc"))) {
                processes
                        .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .forEach(p -> add(seconds, p.resolve("stat"), false));
            } catch (IOException e) {
                return seconds;
            }
            return seconds;
        }

        private static void add(Map<String, Double> seconds, Path stat, boolean jvm) {
            String line;
            try {
                line = Files.readString(stat);
            } catch (IOException e) {
                return; // the thread or process ended
            }
            String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
            String group = jvm ? jvmGroup(name) : name.equals("postgres") ? "postgres" : null;
            if (group == null) {
                return;
            }
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK; // utime, stime
            seconds.merge(group, cpu, Double::sum);
        }

        private static String jvmGroup(String thread) {
            if (thread.startsWith("http-nio")) return "tomcat";
            if (thread.startsWith("pool-")) return "clients";
            if (thread.contains("Compiler")) return "jit";
            if (thread.startsWith("GC ") || thread.startsWith("G1 ")) return "gc";
            return "jvm-other";
        }
    }

    /** Bytes allocated so far by Tomcat's request threads (the server's side of the HTTP mode). */
    private static long requestThreadsAllocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("http-nio")) {
                bytes += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
            }
        }
        return bytes;
    }

    /** One way of writing batch number {@code b}. */
    interface Work {
        void run(Connections connections, int b) throws Exception;
    }

    record Mode(String name, Work work) {}

    /** Runs {@code work} over batches {@code from} to {@code to} on {@code CLIENTS} threads; returns the wall time in seconds. */
    private double parallel(ExecutorService clients, int from, int to, Work work, String sdkKey) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            tasks.add(() -> {
                try (RawHttp http = new RawHttp(port, sdkKey);
                        Connection jdbc = dataSource.getConnection()) {
                    jdbc.setAutoCommit(false);
                    Connections connections = new Connections(http, jdbc);
                    for (int b; (b = next.getAndIncrement()) < to; ) {
                        work.run(connections, b);
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

    private static byte[] body(String batchId, CharSequence items) {
        return ("{\"batchId\":\"" + batchId
                        + "\",\"sdk\":{\"name\":\"bench\",\"version\":\"1\",\"instanceId\":\"bench-1\"},\"events\":["
                        + items + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private BatchReader.Batch parse(byte[] body, long environmentId, Instant now) {
        BatchReader.Batch batch = new BatchReader(
                        json, BatchKind.EVENTS, environmentId, BATCH, now, Duration.ofDays(30), Duration.ofHours(1))
                .read(new ByteArrayInputStream(body), body.length);
        assertThat(batch.accepted()).isEqualTo(BATCH);
        return batch;
    }

    private double seconds(String timer) {
        Timer t = meters.find(timer).tag("kind", "events").timer();
        return t == null ? 0 : t.totalTime(TimeUnit.SECONDS);
    }

    private long count(long environmentId) {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE environment_id = ?", Long.class, environmentId);
    }
}
