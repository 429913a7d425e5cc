package dev.dimmer.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An on-call team's webhook endpoint on 127.0.0.1: it records every request and checks its {@code X-Dimmer-Signature}
 * the way docs/guardrails.md tells receivers to (HMAC-SHA256 of {@code "<timestamp>.<body>"} with the channel's
 * secret, timestamp within five minutes), with its own code rather than the server's. It can go down ({@link #stop()},
 * the port then refuses connections) and come back on the same port ({@link #start()}).
 */
final class WebhookReceiver implements AutoCloseable {

    /** A request as received, with the receiver's verdict on its signature. */
    record Received(String path, Map<String, String> headers, String body, boolean signatureValid, Instant at) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The notification's kind ({@code alert.opened}…), read from the body without a JSON library. */
        boolean is(String kind) {
            return body.contains("\"kind\":\"" + kind + "\"");
        }

        boolean about(String flag) {
            return body.contains("\"flag\":\"" + flag + "\"");
        }
    }

    private final int port;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    WebhookReceiver() {
        this(0);
    }

    private WebhookReceiver(int port) {
        start(port);
        this.port = server.getAddress().getPort();
    }

    private void start(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), onPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.start();
    }

    /** Comes back up on the same port. */
    synchronized void start() {
        if (server == null) {
            start(port);
        }
    }

    /** Goes down: the port refuses connections until {@link #start()}. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Verifies requests to {@code path} with this secret (the channel's, as its creation answered it). */
    void secret(String path, String secret) {
        secrets.put(path, secret);
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    List<Received> all() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().toLowerCase(Locale.ROOT),
                            e -> e.getValue().get(0)));
            received.add(new Received(
                    path,
                    headers,
                    new String(raw, StandardCharsets.UTF_8),
                    verify(secrets.get(path), headers, raw),
                    Instant.now()));
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** What docs/guardrails.md shows receivers: HMAC-SHA256 of "timestamp.body", compared in constant time. */
    static boolean verify(String secret, Map<String, String> headers, byte[] body) {
        String timestamp = headers.get("x-dimmer-timestamp");
        String signature = headers.get("x-dimmer-signature");
        if (secret == null || timestamp == null || signature == null) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false; // a replay
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            return MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
