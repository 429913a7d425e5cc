package dev.dimmer.server.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a server-sent event stream line by line in the background, for tests. */
public final class EventStream implements AutoCloseable {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Void>> response;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().executor(executor).build();

    public EventStream(String url, String sdkKey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + sdkKey)
                .header("Accept", "text/event-stream")
                .build();
        response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply(r -> {
            r.body().forEach(lines::add);
            return null;
        });
    }

    /** The next line that contains {@code text}, skipping others, or null after {@code timeout}. */
    public String await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() {
        response.cancel(true);
        executor.shutdownNow();
    }
}
