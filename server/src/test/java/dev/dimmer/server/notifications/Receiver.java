package dev.dimmer.server.notifications;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A webhook receiver on 127.0.0.1, as an on-call team would run one: for each path it answers a script of statuses
 * (the last repeats), and it checks each request's signature and timestamp the way docs/guardrails.md tells receivers
 * to — independently of the server's own signing code.
 */
final class Receiver implements AutoCloseable {

    /** A request as received, with the receiver's verdict on its signature. */
    record Received(String path, Map<String, String> headers, String body, boolean signatureValid, Instant at) {

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final HttpServer server;
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.CountDownLatch> holds = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers {@code statuses} in turn on {@code path}; the last one from then on. */
    void script(String path, Integer... statuses) {
        scripts.put(path, new ArrayDeque<>(List.of(statuses)));
    }

    /** Verifies requests to {@code path} with this secret. */
    void secret(String path, String secret) {
        secrets.put(path, secret);
    }

    /** The first request to {@code path} gets no answer until {@link #release} (a send cut off by a crash). */
    void holdFirst(String path) {
        holds.put(path, new java.util.concurrent.CountDownLatch(1));
    }

    void release(String path) {
        holds.get(path).countDown();
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                            e -> e.getValue().get(0)));
            received.add(new Received(path, headers, body, verify(path, headers, body), Instant.now()));
            java.util.concurrent.CountDownLatch hold = holds.get(path);
            if (hold != null && at(path).size() == 1) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = next(path);
            byte[] answer = ("answer " + status + " from the test receiver").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private synchronized int next(String path) {
        Deque<Integer> script = scripts.get(path);
        if (script == null || script.isEmpty()) {
            return 200;
        }
        return script.size() == 1 ? script.peek() : script.poll();
    }

    /** What docs/guardrails.md shows in Java: HMAC-SHA256 of "timestamp.body", compared in constant time. */
    private boolean verify(String path, Map<String, String> headers, String body) {
        String secret = secrets.get(path);
        String timestamp = headers.get("x-dimmer-timestamp");
        String signature = headers.get("x-dimmer-signature");
        if (secret == null || timestamp == null || signature == null) {
            return false;
        }
        long sentAt = Long.parseLong(timestamp);
        if (Math.abs(Instant.now().getEpochSecond() - sentAt) > TOLERANCE.toSeconds()) {
            return false;
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256="
                    + java.util.HexFormat.of()
                            .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
