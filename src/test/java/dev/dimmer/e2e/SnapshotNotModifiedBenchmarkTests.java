package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §7: the snapshot 304 path ({@code If-None-Match} current) ≥ 20 000 requests/s on
 * loopback. The load generator is plain sockets with HTTP/1.1 keep-alive, one thread per
 * connection, so that as much of the 2 cores as possible goes to the server: each thread writes
 * the same request bytes and reads the response head (a 304 has no body), reconnecting when the
 * server closes the connection (Tomcat closes after {@code max-keep-alive-requests}, default 100).
 */
@Tag("benchmark")
class SnapshotNotModifiedBenchmarkTests {

    static final int CONNECTIONS = Integer.getInteger("e2e.bench.connections", 8);
    static final long WARMUP_SECONDS = Long.getLong("e2e.bench.warmupSeconds", 3);
    static final long MEASURE_SECONDS = Long.getLong("e2e.bench.measureSeconds", 10);

    @Test
    void snapshotNotModifiedRequestsPerSecond() throws Exception {
        DimmerServer server = SharedServers.replicaA();
        Scenario scenario = Scenario.create(server, "bench-304");
        scenario.configure(Scenario.dogfoodThenSplit(1000));
        String etag = server.sdk(scenario.sdkKey()).get("/api/sdk/v1/snapshot").header("ETag");
        byte[] request = ("GET /api/sdk/v1/snapshot HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:" + server.port() + "\r\n"
                        + "Authorization: Bearer " + scenario.sdkKey() + "\r\n"
                        + "If-None-Match: " + etag + "\r\n"
                        + "Accept: application/json\r\n"
                        + "Accept-Encoding: gzip\r\n"
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        BenchmarkReport report = new BenchmarkReport("snapshot-304");
        LongAdder measured = new LongAdder();
        LongAdder reconnects = new LongAdder();
        LongAdder unexpected = new LongAdder();
        AtomicReference<String> firstUnexpected = new AtomicReference<>();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
        long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(MEASURE_SECONDS);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            Thread thread = new Thread(
                    () -> loop(
                            server.port(),
                            request,
                            measureFrom,
                            measureTo,
                            measured,
                            reconnects,
                            unexpected,
                            firstUnexpected),
                    "e2e-load-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(WARMUP_SECONDS + MEASURE_SECONDS + 30));
        }
        double perSecond = measured.sum() / (double) MEASURE_SECONDS;
        report.line(String.format(
                Locale.ROOT,
                "java-sockets: %d connections, %d s warm-up, %d s measured: %d requests, %.0f req/s,"
                        + " %d reconnects (server closed keep-alive), %d unexpected responses",
                CONNECTIONS,
                WARMUP_SECONDS,
                MEASURE_SECONDS,
                measured.sum(),
                perSecond,
                reconnects.sum(),
                unexpected.sum()));
        report.line(String.format(Locale.ROOT, "target >= 20000 req/s: %s", perSecond >= 20_000 ? "met" : "MISSED"));

        if (Boolean.parseBoolean(System.getProperty("e2e.bench.wrk", "true")) && wrkAvailable()) {
            runWrk(report, server, scenario.sdkKey(), etag);
        }
        assertThat(firstUnexpected.get()).as("every response is a 304").isNull();
    }

    private static void loop(
            int port,
            byte[] request,
            long measureFrom,
            long measureTo,
            LongAdder measured,
            LongAdder reconnects,
            LongAdder unexpected,
            AtomicReference<String> firstUnexpected) {
        byte[] head = new byte[4096];
        while (System.nanoTime() < measureTo) {
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                boolean open = true;
                while (open) {
                    long now = System.nanoTime();
                    if (now >= measureTo) {
                        return;
                    }
                    out.write(request);
                    out.flush();
                    int length = readHead(in, head);
                    if (length < 0) {
                        break; // closed by the server
                    }
                    String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
                    if (!text.startsWith("HTTP/1.1 304")) {
                        unexpected.increment();
                        firstUnexpected.compareAndSet(null, text);
                        return;
                    }
                    if (now >= measureFrom) {
                        measured.increment();
                    }
                    open = !text.toLowerCase(Locale.ROOT).contains("connection: close");
                }
                reconnects.increment();
            } catch (IOException e) {
                unexpected.increment();
                firstUnexpected.compareAndSet(null, e.toString());
                return;
            }
        }
    }

    /** Reads up to and including the blank line ending the head; its length, or -1 at EOF. */
    private static int readHead(InputStream in, byte[] head) throws IOException {
        int length = 0;
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            if (length < head.length) {
                head[length++] = (byte) b;
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        return length;
    }

    private static boolean wrkAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/wrk")) || Files.isExecutable(Path.of("/usr/local/bin/wrk"));
    }

    /** For comparison only: the same request with wrk (C, epoll), 2 threads and the same connections. */
    private static void runWrk(BenchmarkReport report, DimmerServer server, String sdkKey, String etag)
            throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder(
                        "wrk",
                        "-t2",
                        "-c" + CONNECTIONS,
                        "-d" + MEASURE_SECONDS + "s",
                        "-H",
                        "Authorization: Bearer " + sdkKey,
                        "-H",
                        "If-None-Match: " + etag,
                        "-H",
                        "Accept-Encoding: gzip",
                        server.baseUrl() + "/api/sdk/v1/snapshot")
                .redirectErrorStream(true)
                .start();
        if (!wrk.waitFor(MEASURE_SECONDS + 30, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            report.line("wrk: timed out");
            return;
        }
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String line : output.split("\n")) {
            report.line("wrk: " + line);
        }
    }
}
