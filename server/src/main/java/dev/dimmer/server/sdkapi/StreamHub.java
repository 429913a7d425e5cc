package dev.dimmer.server.sdkapi;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SDK streams connected to this replica, by environment. A change from the {@link ChangeFeed}
 * is pushed as {@code event: changed}; a comment heartbeat keeps proxies from closing idle
 * streams and lets both ends notice a dead peer. Sends run on their own small pool so one slow
 * client never delays the feed or other clients.
 */
@Component
class StreamHub {

    private final Map<Long, Set<SseEmitter>> streams = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(2, daemon("dimmer-sse-send"));
    private final ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(daemon("dimmer-sse-heartbeat"));
    private final long streamTimeoutMillis;
    private volatile boolean closing;

    StreamHub(
            ChangeFeed feed,
            @Value("${dimmer.sdk.stream.heartbeat-seconds:15}") long heartbeatSeconds,
            @Value("${dimmer.sdk.stream.timeout-minutes:30}") long streamTimeoutMinutes) {
        this.streamTimeoutMillis = TimeUnit.MINUTES.toMillis(streamTimeoutMinutes);
        feed.subscribe(this::publish);
        heartbeats.scheduleAtFixedRate(this::heartbeat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
    }

    /** A new stream, told the current change number at once so a reconnecting SDK catches up. */
    SseEmitter open(long environmentId, long currentChangeNumber) {
        SseEmitter emitter = new SseEmitter(streamTimeoutMillis);
        if (closing) {
            emitter.complete();
            return emitter;
        }
        Set<SseEmitter> environmentStreams =
                streams.computeIfAbsent(environmentId, id -> ConcurrentHashMap.newKeySet());
        environmentStreams.add(emitter);
        Runnable remove = () -> environmentStreams.remove(emitter);
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
        Set<SseEmitter> environmentStreams = streams.get(environmentId);
        if (environmentStreams != null) {
            for (SseEmitter emitter : environmentStreams) {
                senders.execute(() -> send(emitter, changed(changeNumber)));
            }
        }
    }

    private void heartbeat() {
        for (Set<SseEmitter> environmentStreams : streams.values()) {
            for (SseEmitter emitter : environmentStreams) {
                senders.execute(() -> send(emitter, SseEmitter.event().comment("heartbeat")));
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
        streams.values().forEach(set -> set.forEach(SseEmitter::complete));
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
