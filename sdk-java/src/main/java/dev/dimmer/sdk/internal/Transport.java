package dev.dimmer.sdk.internal;

import dev.dimmer.sdk.DimmerNotReadyException;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * HTTP for the SDK protocol ({@code /api/sdk/v1}) on {@link java.net.http.HttpClient}, whose
 * async work runs on an executor the client owns (shut down on close, so no thread outlives it).
 */
public final class Transport {

    public static final String PREFIX = "/api/sdk/v1";

    /** Outcome of a snapshot request. */
    public sealed interface Fetch {}

    public record Fetched(Snapshot snapshot, String etag) implements Fetch {}

    public record NotModified() implements Fetch {}

    public record Failed(DimmerNotReadyException.Cause cause, String message) implements Fetch {}

    /** Outcome of a batch POST: the status (or -1 on I/O error) and {@code Retry-After} seconds. */
    public record Posted(int status, long retryAfterSeconds, String error) {}

    private final Duration connectTimeout;
    private final Executor executor;
    private final URI base;
    private final String authorization;
    private final Duration requestTimeout;
    private final String userAgent;
    private final SSLContext tlsContext;

    /**
     * @param tlsContext trust store (and client certificate) for https, used by the snapshot and
     *     batch requests and the event stream alike; null for the JVM's default context
     */
    public Transport(
            URI base,
            String sdkKey,
            Duration connectTimeout,
            Duration requestTimeout,
            Executor executor,
            String userAgent,
            SSLContext tlsContext) {
        this.base = base;
        this.tlsContext = tlsContext;
        this.authorization = "Bearer " + sdkKey;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.connectTimeout = connectTimeout;
        this.executor = executor;
    }

    private HttpClient client; // guarded by this; created on first use (it starts a selector thread)
    private boolean closed; // guarded by this

    private synchronized HttpClient http() {
        if (closed) {
            throw new IllegalStateException("transport closed");
        }
        if (client == null) {
            client = HttpClient.newBuilder()
                    .sslContext(tlsContext())
                    .connectTimeout(connectTimeout)
                    .executor(executor)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return client;
    }

    private SSLContext tlsContext() {
        if (tlsContext != null) {
            return tlsContext;
        }
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /**
     * Drops the HttpClient. On Java 17 it has no close(); its selector thread ends once the
     * client is unreachable (and every exchange, running on our executor, is already stopped).
     */
    public synchronized void close() {
        closed = true;
        client = null;
    }

    public URI uri(String path) {
        return base.resolve(PREFIX + path);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", authorization)
                .header("User-Agent", userAgent);
    }

    public CompletableFuture<Fetch> fetchSnapshot(String etag) {
        HttpRequest.Builder b = request("/snapshot")
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip")
                .GET();
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return http().sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> error != null ? failed(error) : toFetch(response));
    }

    private static Fetch toFetch(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 304) {
            return new NotModified();
        }
        if (status == 401 || status == 403) {
            return new Failed(
                    DimmerNotReadyException.Cause.UNAUTHORIZED,
                    "HTTP " + status + " from " + response.uri() + ": the SDK key was refused" + problem(response));
        }
        if (status != 200) {
            return new Failed(
                    DimmerNotReadyException.Cause.SERVER_ERROR,
                    "HTTP " + status + " from " + response.uri() + problem(response));
        }
        try {
            Snapshot snapshot = Json.MAPPER.readValue(body(response), Snapshot.class);
            if (snapshot == null) {
                throw new IOException("empty body");
            }
            return new Fetched(snapshot, response.headers().firstValue("ETag").orElse(null));
        } catch (IOException | RuntimeException e) {
            return new Failed(
                    DimmerNotReadyException.Cause.INVALID_SNAPSHOT,
                    "unparsable snapshot from " + response.uri() + ": " + e.getMessage());
        }
    }

    private static String problem(HttpResponse<byte[]> response) {
        try {
            String text = new String(body(response), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            return " (" + (text.length() > 300 ? text.substring(0, 300) + "…" : text) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static InputStream bodyStream(HttpResponse<byte[]> response) throws IOException {
        InputStream in = new ByteArrayInputStream(response.body() == null ? new byte[0] : response.body());
        Optional<String> encoding = response.headers().firstValue("Content-Encoding");
        return encoding.isPresent() && encoding.get().equalsIgnoreCase("gzip") ? new GZIPInputStream(in) : in;
    }

    private static byte[] body(HttpResponse<byte[]> response) throws IOException {
        try (InputStream in = bodyStream(response)) {
            return in.readAllBytes();
        }
    }

    private Failed failed(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String what = e instanceof HttpTimeoutException ? "timed out" : "unreachable";
        String detail = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new Failed(
                DimmerNotReadyException.Cause.UNREACHABLE, "server " + what + " at " + base + " (" + detail + ")");
    }

    /** Sends one batch and waits for the answer (called on an SDK background thread only). */
    public Posted post(String path, byte[] json, Duration timeout) {
        HttpRequest req = request(path)
                .timeout(timeout.compareTo(requestTimeout) < 0 ? timeout : requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        try {
            HttpResponse<Void> response = http().send(req, HttpResponse.BodyHandlers.discarding());
            long retryAfter = response.headers()
                    .firstValue("Retry-After")
                    .map(Transport::parseRetryAfter)
                    .orElse(-1L);
            return new Posted(response.statusCode(), retryAfter, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Posted(-1, -1, "interrupted");
        } catch (IOException | RuntimeException e) {
            return new Posted(-1, -1, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static long parseRetryAfter(String value) {
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return -1; // HTTP-date form: fall back to our own backoff
        }
    }

    /**
     * Opens {@code GET /stream} on a connection of its own ({@link EventStreamConnection}), whose
     * {@code close()} really closes it on Java 17, so the client's {@code close()} leaves nothing
     * open behind it.
     */
    EventStreamConnection openStream(Duration readTimeout) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException("transport closed");
            }
        }
        return EventStreamConnection.open(
                // inline=snapshot: a server that can pushes the new snapshot in the event itself ("snapshot"), so no
                // request follows a change; one that cannot (older) ignores the parameter and sends "changed".
                uri("/stream?inline=snapshot"),
                tlsContext(),
                authorization,
                userAgent,
                (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()),
                (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
    }
}
