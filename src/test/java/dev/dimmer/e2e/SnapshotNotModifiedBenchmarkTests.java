package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §7: the snapshot 304 path ({@code If-None-Match} current) ≥ 20 000 requests/s on
 * loopback. The load generator works like wrk, so that as much of the 2 cores as possible goes to
 * the server: {@value #LOAD_THREADS} threads, each with one NIO selector over its share of the
 * HTTP/1.1 keep-alive connections; each connection writes the same request bytes, reads the
 * response head (a 304 has no body) and writes again, reconnecting when the server closes the
 * connection (Tomcat closes after {@code server.tomcat.max-keep-alive-requests}, default 100).
 */
@Tag("benchmark")
class SnapshotNotModifiedBenchmarkTests {

    static final int CONNECTIONS = Integer.getInteger("e2e.bench.connections", 8);
    static final int LOAD_THREADS = 2;
    static final int ROUNDS = Integer.getInteger("e2e.bench.rounds", 2);
    static final long WARMUP_SECONDS = Long.getLong("e2e.bench.warmupSeconds", 5);
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
        AtomicReference<String> firstUnexpected = new AtomicReference<>();
        double perSecond = 0;
        // The same measurement ROUNDS times: the server JIT-compiles during the first round.
        for (int round = 1; round <= ROUNDS; round++) {
            LongAdder measured = new LongAdder();
            LongAdder reconnects = new LongAdder();
            LongAdder unexpected = new LongAdder();
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
            long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(MEASURE_SECONDS);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < LOAD_THREADS; i++) {
                int share = CONNECTIONS / LOAD_THREADS + (i < CONNECTIONS % LOAD_THREADS ? 1 : 0);
                Thread thread = new Thread(
                        () -> loop(
                                server.port(),
                                share,
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
            perSecond = measured.sum() / (double) MEASURE_SECONDS;
            report.line(String.format(
                    Locale.ROOT,
                    "round %d, java-nio (2 threads): %d connections, %d s warm-up, %d s measured: %d requests, %.0f req/s,"
                            + " %d reconnects (server closed keep-alive), %d unexpected responses",
                    round,
                    CONNECTIONS,
                    WARMUP_SECONDS,
                    MEASURE_SECONDS,
                    measured.sum(),
                    perSecond,
                    reconnects.sum(),
                    unexpected.sum()));
        }
        report.line(String.format(
                Locale.ROOT, "target >= 20000 req/s (last round): %s", perSecond >= 20_000 ? "met" : "MISSED"));

        if (Boolean.parseBoolean(System.getProperty("e2e.bench.wrk", "true")) && wrkAvailable()) {
            runWrk(report, server, scenario.sdkKey(), etag);
        }
        assertThat(firstUnexpected.get()).as("every response is a 304").isNull();
    }

    /** One load thread: a selector over {@code connections} keep-alive connections. */
    private static void loop(
            int port,
            int connections,
            byte[] request,
            long measureFrom,
            long measureTo,
            LongAdder measured,
            LongAdder reconnects,
            LongAdder unexpected,
            AtomicReference<String> firstUnexpected) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                open(selector, address, request);
            }
            while (System.nanoTime() < measureTo) {
                selector.select(100);
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    ByteBuffer head = (ByteBuffer) key.attachment();
                    int n = channel.read(head);
                    if (n < 0) { // closed by the server: reconnect
                        key.cancel();
                        channel.close();
                        reconnects.increment();
                        open(selector, address, request);
                        continue;
                    }
                    int length = head.position();
                    if (length < 4
                            || head.get(length - 4) != '\r'
                            || head.get(length - 3) != '\n'
                            || head.get(length - 2) != '\r'
                            || head.get(length - 1) != '\n') {
                        if (!head.hasRemaining()) {
                            throw new IOException("response head larger than " + head.capacity() + " bytes");
                        }
                        continue; // more of the head to come
                    }
                    String text = new String(head.array(), 0, length, StandardCharsets.ISO_8859_1);
                    head.clear();
                    if (!text.startsWith("HTTP/1.1 304")) {
                        unexpected.increment();
                        firstUnexpected.compareAndSet(null, text);
                        return;
                    }
                    if (System.nanoTime() >= measureFrom) {
                        measured.increment();
                    }
                    if (text.toLowerCase(Locale.ROOT).contains("\nconnection: close")) {
                        key.cancel();
                        channel.close();
                        reconnects.increment();
                        open(selector, address, request);
                    } else {
                        write(channel, request);
                    }
                }
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        } catch (IOException e) {
            unexpected.increment();
            firstUnexpected.compareAndSet(null, e.toString());
        }
    }

    private static void open(Selector selector, InetSocketAddress address, byte[] request) throws IOException {
        SocketChannel channel = SocketChannel.open(address); // blocking connect on loopback
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        write(channel, request);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(4096));
    }

    /** Writes the whole request; on loopback a ~250-byte write never stays partial for long. */
    private static void write(SocketChannel channel, byte[] request) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(request);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
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
