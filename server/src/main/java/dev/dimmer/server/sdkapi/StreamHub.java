package dev.dimmer.server.sdkapi;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SDK streams connected to this replica, by environment. A change from the {@link ChangeFeed}
 * is pushed as {@code event: changed}, or as {@code event: snapshot} carrying the snapshot to streams
 * that asked for it ({@link Stream#inlineSnapshots}); a comment heartbeat keeps proxies from closing idle
 * streams and lets both ends notice a dead peer. Sends run on their own small pool so one slow
 * client never delays the feed or other clients.
 *
 * <p>Why push the snapshot: after a {@code changed} event every SDK of the environment requests the snapshot at
 * once. With 500 SDKs that is 500 requests per change, each costing the replica a request through the security
 * chain and the SDK an HTTP round trip; those bursts made most of a change's latency in the soak
 * (docs/performance.md "Soak"). The snapshot is serialized once per change ({@link SnapshotCache}) and the same
 * string is written to every stream.
 */
@Component
class StreamHub {

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private static final int MAX_INLINE_BYTES = 1 << 20;

    /** An open stream; {@code inlineSnapshots}: the SDK asked for {@code snapshot} events. */
    private record Stream(SseEmitter emitter, boolean inlineSnapshots) {}

    private final Map<Long, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(2, daemon("dimmer-sse-send"));
    private final ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(daemon("dimmer-sse-heartbeat"));
    private final SnapshotCache snapshots;
    private final long streamTimeoutMillis;
    private final int inlineMaxBytes;
    private volatile boolean closing;

    StreamHub(
            ChangeFeed feed,
            SnapshotCache snapshots,
            @Value("${dimmer.sdk.stream.heartbeat-seconds:15}") long heartbeatSeconds,
            @Value("${dimmer.sdk.stream.timeout-minutes:30}") long streamTimeoutMinutes,
            @Value("${dimmer.sdk.stream.inline-max-bytes:262144}") int inlineMaxBytes) {
        this.snapshots = snapshots;
        this.streamTimeoutMillis = TimeUnit.MINUTES.toMillis(streamTimeoutMinutes);
        // The Java SDK refuses event lines over 1 MiB (and would reconnect forever): never push more.
        this.inlineMaxBytes = Math.min(inlineMaxBytes, MAX_INLINE_BYTES);
        feed.subscribe(this::publish);
        heartbeats.scheduleAtFixedRate(this::heartbeat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
    }

    /** A new stream, told the current change number at once so a reconnecting SDK catches up. */
    SseEmitter open(long environmentId, long currentChangeNumber, boolean inlineSnapshots) {
        SseEmitter emitter = new SseEmitter(streamTimeoutMillis);
        if (closing) {
            emitter.complete();
            return emitter;
        }
        Set<Stream> environmentStreams = streams.computeIfAbsent(environmentId, id -> ConcurrentHashMap.newKeySet());
        Stream stream = new Stream(emitter, inlineSnapshots);
        environmentStreams.add(stream);
        Runnable remove = () -> environmentStreams.remove(stream);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(error -> remove.run());
        send(emitter, changed(currentChangeNumber));
        return emitter;
    }

    int connected() {
        return streams.values().stream().mapToInt(Set::size).sum();
    }

    private void publish(long environmentId, long changeNumber) {
        Set<Stream> environmentStreams = streams.get(environmentId);
        if (environmentStreams == null || environmentStreams.isEmpty()) {
            return;
        }
        // Off the feed's thread: building the snapshot reads the database.
        senders.execute(() -> {
            String inline = inlineSnapshot(environmentStreams, environmentId, changeNumber);
            for (Stream stream : environmentStreams) {
                SseEmitter.SseEventBuilder event = inline != null && stream.inlineSnapshots()
                        ? SseEmitter.event().name("snapshot").data(inline)
                        : changed(changeNumber);
                senders.execute(() -> send(stream.emitter(), event));
            }
        });
    }

    /**
     * The snapshot as one line of JSON (compact JSON has no raw line breaks), or null to send {@code changed}: no
     * stream asked for it, it is larger than {@code dimmer.sdk.stream.inline-max-bytes}, or it cannot be built now
     * (the SDKs' fetch then finds the database or the cache).
     */
    private String inlineSnapshot(Set<Stream> environmentStreams, long environmentId, long changeNumber) {
        if (environmentStreams.stream().noneMatch(Stream::inlineSnapshots)) {
            return null;
        }
        try {
            SnapshotCache.Serialized snapshot = snapshots.get(environmentId, changeNumber);
            return snapshot.json().length <= inlineMaxBytes
                    ? new String(snapshot.json(), StandardCharsets.UTF_8)
                    : null;
        } catch (RuntimeException e) {
            log.debug("snapshot of environment {} not pushed, streams told to fetch: {}", environmentId, e.toString());
            return null;
        }
    }

    private void heartbeat() {
        for (Set<Stream> environmentStreams : streams.values()) {
            for (Stream stream : environmentStreams) {
                senders.execute(() -> send(stream.emitter(), SseEmitter.event().comment("heartbeat")));
            }
        }
    }

    private static SseEmitter.SseEventBuilder changed(long changeNumber) {
        return SseEmitter.event().name("changed").data("{\"changeNumber\":" + changeNumber + "}");
    }

    private static void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e); // the client went away; onError removes it
        }
    }

    /**
     * Ends every stream as soon as shutdown begins. Streams never finish on their own, so if they
     * were left to graceful shutdown it would wait out its whole timeout; SDKs simply reconnect to
     * another replica.
     */
    @EventListener(ContextClosedEvent.class)
    void endStreams() {
        closing = true;
        streams.values().forEach(set -> set.forEach(stream -> stream.emitter().complete()));
    }

    @PreDestroy
    void close() {
        endStreams();
        heartbeats.shutdownNow();
        senders.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
