package dev.dimmer.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.dimmer.sdk.internal.Json;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A faithful stand-in for the Dimmer server's SDK protocol (/api/sdk/v1) on loopback: snapshot
 * with ETag/304/gzip/401, SSE stream with "changed" events, impressions and events that answer
 * with scripted statuses and deduplicate by batchId.
 */
public final class FakeDimmerServer implements AutoCloseable {

    public static final String KEY = "sdk-test-key";

    /** One received POST. */
    public record Received(String batchId, Map<String, Object> body, long atNanos, String status) {
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> items(String field) {
            return (List<Map<String, Object>>) body.get(field);
        }
    }

    private final HttpServer server;
    private final boolean tls;
    private final ExecutorService executor;
    private volatile byte[] snapshotJson;
    private volatile long changeNumber;
    private volatile String rawSnapshotOverride;
    private volatile boolean streamEnabled = true;

    public final AtomicInteger snapshotRequests = new AtomicInteger();
    public final AtomicInteger notModified = new AtomicInteger();
    public final AtomicInteger streamConnects = new AtomicInteger();
    public final List<Long> streamConnectTimes = new CopyOnWriteArrayList<>();
    public final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
    public final List<String> acceptEncoding = new CopyOnWriteArrayList<>();
    public final List<Received> impressions = new CopyOnWriteArrayList<>();
    public final List<Received> events = new CopyOnWriteArrayList<>();
    public final Queue<int[]> postScript = new ConcurrentLinkedQueue<>(); // {status, retryAfter}
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> storedBatches = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public volatile long postDelayMillis;
    /** Answer every post 202 without parsing or keeping it (for benchmarks that send millions of impressions). */
    public volatile boolean discardPosts;

    private record Stream(OutputStream out, CountDownLatch done) {}

    public FakeDimmerServer(Snapshot snapshot) throws IOException {
        this(0, snapshot, null);
    }

    /** A server on a given port (to bring a "crashed" server back). */
    public static FakeDimmerServer onPort(int port, Snapshot snapshot) throws IOException {
        return new FakeDimmerServer(port, snapshot, null);
    }

    /** An https server presenting the certificate of {@code serverContext}'s key manager. */
    public static FakeDimmerServer tls(Snapshot snapshot, javax.net.ssl.SSLContext serverContext) throws IOException {
        return new FakeDimmerServer(0, snapshot, serverContext);
    }

    private FakeDimmerServer(int port, Snapshot snapshot, javax.net.ssl.SSLContext serverContext) throws IOException {
        setSnapshot(snapshot);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        tls = serverContext != null;
        if (tls) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(serverContext));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/api/sdk/v1/snapshot", this::snapshot);
        server.createContext("/api/sdk/v1/stream", this::stream);
        server.createContext("/api/sdk/v1/impressions", ex -> post(ex, impressions));
        server.createContext("/api/sdk/v1/events", ex -> post(ex, events));
        server.start();
    }

    public String baseUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void setSnapshot(Snapshot snapshot) throws IOException {
        snapshotJson = Json.MAPPER.writeValueAsBytes(snapshot);
        changeNumber = snapshot.changeNumber();
    }

    /** Sends this instead of the snapshot JSON (for unparsable-snapshot tests). */
    public void setRawSnapshot(String raw) {
        rawSnapshotOverride = raw;
    }

    public void setStreamEnabled(boolean enabled) {
        streamEnabled = enabled;
    }

    /** Publishes a new snapshot and announces it on every open stream. */
    public void publish(Snapshot snapshot) throws IOException {
        setSnapshot(snapshot);
        sendToStreams("event: changed\ndata: {\"changeNumber\": " + snapshot.changeNumber() + "}\n\n");
    }

    /** Publishes a new snapshot and pushes it, whole, in a {@code snapshot} event on every open stream. */
    public void push(Snapshot snapshot) throws IOException {
        setSnapshot(snapshot);
        sendToStreams("event:snapshot\ndata:" + Json.MAPPER.writeValueAsString(snapshot) + "\n\n");
    }

    public void sendToStreams(String text) {
        for (Stream s : streams) {
            try {
                s.out().write(text.getBytes(StandardCharsets.UTF_8));
                s.out().flush();
            } catch (IOException e) {
                streams.remove(s);
                s.done().countDown();
            }
        }
    }

    /** Closes every open stream from the server side. */
    public void dropStreams() {
        for (Stream s : streams) {
            streams.remove(s);
            s.done().countDown();
        }
    }

    public int openStreams() {
        return streams.size();
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        if (("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        byte[] body = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"unknown SDK key\"}"
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/problem+json");
        ex.sendResponseHeaders(401, body.length);
        ex.getResponseBody().write(body);
        ex.close();
        return false;
    }

    private void snapshot(HttpExchange ex) throws IOException {
        snapshotRequests.incrementAndGet();
        if (!authorized(ex)) {
            return;
        }
        String etag = "\"" + changeNumber + "\"";
        String inm = ex.getRequestHeaders().getFirst("If-None-Match");
        ifNoneMatch.add(String.valueOf(inm));
        String ae = ex.getRequestHeaders().getFirst("Accept-Encoding");
        acceptEncoding.add(String.valueOf(ae));
        if (etag.equals(inm) && rawSnapshotOverride == null) {
            notModified.incrementAndGet();
            ex.getResponseHeaders().add("ETag", etag);
            ex.sendResponseHeaders(304, -1);
            ex.close();
            return;
        }
        byte[] body = rawSnapshotOverride != null ? rawSnapshotOverride.getBytes(StandardCharsets.UTF_8) : snapshotJson;
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("ETag", etag);
        if (ae != null && ae.contains("gzip")) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
                gz.write(body);
            }
            body = buf.toByteArray();
            ex.getResponseHeaders().add("Content-Encoding", "gzip");
        }
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private void stream(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        if (!streamEnabled) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
        }
        streamConnects.incrementAndGet();
        streamConnectTimes.add(System.nanoTime());
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(": hello\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Stream s = new Stream(out, new CountDownLatch(1));
        streams.add(s);
        try {
            s.done().await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(s);
            ex.close();
        }
    }

    private void post(HttpExchange ex, List<Received> into) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        byte[] raw = ex.getRequestBody().readAllBytes();
        if (discardPosts) {
            ex.sendResponseHeaders(202, -1);
            ex.close();
            return;
        }
        Map<String, Object> body = Json.MAPPER.readValue(raw, new TypeReference<Map<String, Object>>() {});
        String batchId = (String) body.get("batchId");
        if (postDelayMillis > 0) {
            try {
                Thread.sleep(postDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int[] scripted = postScript.poll();
        int status = scripted == null ? 202 : scripted[0];
        String outcome = String.valueOf(status);
        if (status == 202 && !storedBatches.add(batchId)) {
            outcome = "202-duplicate";
        }
        into.add(new Received(batchId, body, System.nanoTime(), outcome));
        if (scripted != null && scripted.length > 1 && scripted[1] >= 0) {
            ex.getResponseHeaders().add("Retry-After", String.valueOf(scripted[1]));
        }
        if (status >= 400) {
            byte[] problem = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/problem+json");
            ex.sendResponseHeaders(status, problem.length);
            ex.getResponseBody().write(problem);
        } else {
            ex.sendResponseHeaders(status, -1);
        }
        ex.close();
    }

    /** Items (impressions or events) the server stored, once per batchId. */
    public List<Map<String, Object>> stored(List<Received> received, String field) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Received r : received) {
            if (r.status().equals("202")) {
                out.addAll(r.items(field));
            }
        }
        return out;
    }

    @Override
    public void close() {
        dropStreams();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
