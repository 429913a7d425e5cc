package dev.dimmer.sdk.internal;

import dev.dimmer.sdk.ClientState;
import dev.dimmer.sdk.ConfigurationChange;
import dev.dimmer.sdk.DimmerNotReadyException;
import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Keeps the client's {@link EvaluationEngine} current.
 *
 * <p><b>Sources.</b> An optional bootstrap file (read once, first), {@code GET /snapshot} with
 * {@code If-None-Match} on every polling tick, and {@code GET /stream} (server-sent events): a
 * {@code snapshot} event carries the new snapshot itself and is applied as it arrives (no request: with hundreds of
 * SDKs on a replica, a request from each per change is most of what a change costs); a {@code changed} event with a
 * newer change number (from servers that do not push snapshots, or for a snapshot too large to push) triggers an
 * immediate fetch. While the stream
 * is connected polling ticks skip the request; when it drops, polling takes over until a
 * reconnect (exponential backoff with jitter) succeeds, and every (re)connect fetches once to catch
 * up on changes missed while disconnected.
 *
 * <p><b>Concurrency.</b> Readers only read the {@code volatile engine}; a new snapshot is compiled
 * off the hot path and swapped in with one write. At most one snapshot request is in flight;
 * a request asked for meanwhile is coalesced into one follow-up request. The snapshot is never
 * replaced by an older change number, and a failure never drops the last good snapshot.
 *
 * <p><b>State.</b> NOT_READY → READY on the first snapshot (server or bootstrap); ERROR while
 * never ready and failing; READY ↔ STALE when the server has not been heard from for
 * {@code staleAfter}; CLOSED is final.
 */
public final class SnapshotSync {

    private static final long STABLE_STREAM_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long close() waits for the stream's thread, which ends as soon as its socket is closed. */
    private static final long STREAM_EXIT_MILLIS = 2_000;

    private final Transport transport;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration pollingInterval;
    private final boolean streaming;
    private final Backoff streamBackoff;
    private final long staleAfterNanos;
    private final long streamReadTimeoutNanos;
    private final Path bootstrap;
    private final Counters counters;
    private final EpisodeLog fetchLog;
    private final EpisodeLog streamLog;
    private final ThreadFactory streamThreads = new DaemonThreadFactory("stream");

    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final List<Consumer<ConfigurationChange>> changeListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClientState>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicBoolean refetch = new AtomicBoolean();

    private volatile EvaluationEngine engine;
    private volatile ClientState state = ClientState.NOT_READY;
    private volatile Transport.Failed lastFailure;
    private volatile String etag;
    private volatile boolean serverConfirmed;
    private volatile long lastContactNanos;
    private volatile boolean everContacted;
    private volatile boolean closed;

    private volatile StreamConnection stream;
    private volatile boolean streamConnected;
    private int streamAttempts; // guarded by this
    private ScheduledFuture<?> pollTask; // guarded by this
    private ScheduledFuture<?> reconnectTask; // guarded by this

    public SnapshotSync(
            Transport transport,
            ScheduledExecutorService scheduler,
            Clock clock,
            Duration pollingInterval,
            boolean streaming,
            Backoff streamBackoff,
            Duration staleAfter,
            Duration streamReadTimeout,
            Path bootstrap,
            Counters counters) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.clock = clock;
        this.pollingInterval = pollingInterval;
        this.streaming = streaming;
        this.streamBackoff = streamBackoff;
        this.staleAfterNanos = staleAfter.toNanos();
        this.streamReadTimeoutNanos = streamReadTimeout.toNanos();
        this.bootstrap = bootstrap;
        this.counters = counters;
        this.fetchLog = new EpisodeLog("snapshot sync with " + transport.uri("/snapshot"), clock);
        this.streamLog = new EpisodeLog("streaming from " + transport.uri("/stream"), clock);
    }

    // ---- read side (hot path) ----

    public EvaluationEngine engine() {
        return engine;
    }

    public ClientState state() {
        return state;
    }

    public CompletableFuture<Void> ready() {
        return ready;
    }

    public DimmerNotReadyException lastFailure() {
        Transport.Failed f = lastFailure;
        return f == null ? null : new DimmerNotReadyException(f.cause(), f.message());
    }

    /** Seconds since the snapshot was last confirmed current (NaN before any contact). */
    public double snapshotAgeSeconds() {
        if (streamConnected) {
            return 0;
        }
        return everContacted ? (System.nanoTime() - lastContactNanos) / 1e9 : Double.NaN;
    }

    public Runnable onChange(Consumer<ConfigurationChange> listener) {
        changeListeners.add(listener);
        return () -> changeListeners.remove(listener);
    }

    public Runnable onState(Consumer<ClientState> listener) {
        stateListeners.add(listener);
        return () -> stateListeners.remove(listener);
    }

    // ---- lifecycle ----

    public synchronized void start() {
        scheduler.execute(() -> {
            loadBootstrap();
            fetch();
            if (streaming) {
                connectStream();
            }
        });
        long every = pollingInterval.toNanos();
        pollTask = scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.NANOSECONDS);
    }

    public void close() {
        synchronized (this) {
            closed = true;
            if (pollTask != null) {
                pollTask.cancel(false);
            }
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
        }
        StreamConnection c = stream;
        stream = null;
        streamConnected = false;
        if (c != null) {
            c.cancel();
            c.awaitExit(STREAM_EXIT_MILLIS);
        }
        setState(ClientState.CLOSED);
        ready.completeExceptionally(
                new DimmerNotReadyException(DimmerNotReadyException.Cause.CLOSED, "the Dimmer client was closed"));
    }

    private void tick() {
        try {
            if (closed) {
                return;
            }
            StreamConnection c = stream;
            if (streamConnected && c != null && System.nanoTime() - c.lastLineNanos > streamReadTimeoutNanos) {
                streamLog.failure("no data (not even a heartbeat) for " + Duration.ofNanos(streamReadTimeoutNanos));
                dropStream(c, false);
            }
            if (streamConnected) {
                contact();
            } else {
                fetch();
            }
            checkStale();
        } catch (RuntimeException e) {
            EpisodeLog.warn("Dimmer polling tick failed: " + e);
        }
    }

    private void checkStale() {
        if (engine != null && state == ClientState.READY && System.nanoTime() - lastContactNanos > staleAfterNanos) {
            setState(ClientState.STALE);
        }
    }

    private void contact() {
        lastContactNanos = System.nanoTime();
        everContacted = true;
        if (state == ClientState.STALE) {
            setState(ClientState.READY);
        }
    }

    // ---- snapshot ----

    private void loadBootstrap() {
        if (bootstrap == null) {
            return;
        }
        try {
            Snapshot snapshot = Json.MAPPER.readValue(Files.readAllBytes(bootstrap), Snapshot.class);
            if (snapshot == null) {
                throw new IllegalArgumentException("empty file");
            }
            lastContactNanos = System.nanoTime(); // staleness counts from the start
            apply(snapshot, false);
            EpisodeLog.info("Dimmer loaded bootstrap snapshot " + bootstrap + " (changeNumber "
                    + snapshot.changeNumber() + ")");
        } catch (Exception e) {
            Transport.Failed f = new Transport.Failed(
                    DimmerNotReadyException.Cause.INVALID_SNAPSHOT,
                    "unusable bootstrap file " + bootstrap + ": " + e.getMessage());
            lastFailure = f;
            EpisodeLog.warn("Dimmer " + f.message());
        }
    }

    /** Requests the snapshot now (coalesced with a request in flight). */
    public void fetch() {
        if (closed) {
            return;
        }
        if (!fetching.compareAndSet(false, true)) {
            refetch.set(true);
            return;
        }
        counters.snapshotFetches.increment();
        CompletableFuture<Transport.Fetch> f;
        try {
            f = transport.fetchSnapshot(etag);
        } catch (RuntimeException e) {
            fetching.set(false);
            handle(new Transport.Failed(DimmerNotReadyException.Cause.UNREACHABLE, e.toString()));
            return;
        }
        f.whenComplete((result, error) -> {
            try {
                handle(
                        error == null
                                ? result
                                : new Transport.Failed(DimmerNotReadyException.Cause.UNREACHABLE, error.toString()));
            } catch (RuntimeException e) {
                EpisodeLog.warn("Dimmer could not apply snapshot: " + e);
            } finally {
                fetching.set(false);
                if (refetch.getAndSet(false) && !closed) {
                    try {
                        scheduler.execute(this::fetch);
                    } catch (RejectedExecutionException ignored) {
                        // shutting down
                    }
                }
            }
        });
    }

    private void handle(Transport.Fetch result) {
        if (closed) {
            return;
        }
        if (result instanceof Transport.Fetched fetched) {
            contact();
            try {
                apply(fetched.snapshot(), true);
            } catch (RuntimeException e) {
                failed(new Transport.Failed(
                        DimmerNotReadyException.Cause.INVALID_SNAPSHOT, "snapshot rejected by the evaluator: " + e));
                return;
            }
            // An older snapshot than the one applied (a lagging replica, a push overtaken by a newer one) is not
            // applied, and its ETag must not replace the current one either.
            EvaluationEngine current = engine;
            if (current != null && current.changeNumber() == fetched.snapshot().changeNumber()) {
                etag = fetched.etag();
            }
            fetchLog.success();
        } else if (result instanceof Transport.NotModified) {
            fetchLog.success();
            contact();
        } else if (result instanceof Transport.Failed failed) {
            failed(failed);
        }
    }

    private void failed(Transport.Failed failure) {
        counters.snapshotFailures.increment();
        lastFailure = failure;
        fetchLog.failure(failure.message());
        if (engine == null) {
            setState(ClientState.ERROR);
            if (failure.cause() == DimmerNotReadyException.Cause.UNAUTHORIZED) {
                ready.completeExceptionally(new DimmerNotReadyException(failure.cause(), failure.message()));
            }
        }
    }

    private void apply(Snapshot snapshot, boolean fromServer) {
        EvaluationEngine previous;
        EvaluationEngine next;
        synchronized (this) {
            previous = engine;
            boolean replaceBootstrap = fromServer && !serverConfirmed;
            if (previous != null && !replaceBootstrap && snapshot.changeNumber() <= previous.changeNumber()) {
                return;
            }
            next = EvaluationEngine.compile(snapshot, clock);
            engine = next;
            if (fromServer) {
                serverConfirmed = true;
            }
        }
        lastFailure = null;
        setState(ClientState.READY);
        ready.complete(null);
        if (previous != null) {
            Set<String> changed = diff(previous, next);
            if (!changed.isEmpty() || previous.changeNumber() != next.changeNumber()) {
                ConfigurationChange change =
                        new ConfigurationChange(previous.changeNumber(), next.changeNumber(), changed);
                for (Consumer<ConfigurationChange> l : changeListeners) {
                    try {
                        l.accept(change);
                    } catch (RuntimeException e) {
                        EpisodeLog.warn("Dimmer configuration listener failed: " + e);
                    }
                }
            }
        }
    }

    private static Set<String> diff(EvaluationEngine a, EvaluationEngine b) {
        Set<String> keys = new HashSet<>(a.flagKeys());
        keys.addAll(b.flagKeys());
        Set<String> changed = new HashSet<>();
        for (String key : keys) {
            if (!Objects.equals(a.flag(key), b.flag(key))) {
                changed.add(key);
            }
        }
        return changed;
    }

    private void setState(ClientState next) {
        synchronized (this) {
            if (state == next || state == ClientState.CLOSED) {
                return;
            }
            if (next == ClientState.ERROR && engine != null) {
                return;
            }
            state = next;
        }
        for (Consumer<ClientState> l : stateListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                EpisodeLog.warn("Dimmer state listener failed: " + e);
            }
        }
    }

    // ---- streaming ----

    private void connectStream() {
        StreamConnection c;
        synchronized (this) { // with close(): a stream is either never started or seen and stopped by it
            if (closed || !streaming) {
                return;
            }
            c = new StreamConnection();
            stream = c;
            c.thread = streamThreads.newThread(c::run);
            c.thread.start();
        }
    }

    private void dropStream(StreamConnection c, boolean stable) {
        synchronized (this) {
            if (stream != c) {
                return;
            }
            stream = null;
            streamConnected = false;
        }
        c.cancel();
        scheduleReconnect(stable);
    }

    private synchronized void scheduleReconnect(boolean stable) {
        if (closed) {
            return;
        }
        streamAttempts = stable ? 1 : streamAttempts + 1;
        long delay = streamBackoff.delayMillis(streamAttempts);
        counters.streamReconnects.increment();
        try {
            reconnectTask = scheduler.schedule(this::connectStream, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ignored) {
            // shutting down
        }
    }

    /** One {@code GET /stream} connection, read line by line on its own thread until it ends or is cancelled. */
    private final class StreamConnection {

        private volatile EventStreamConnection connection;
        volatile Thread thread;
        volatile boolean cancelled;
        volatile long lastLineNanos = System.nanoTime();
        volatile int status;
        long openedNanos;
        String event;
        StringBuilder data = new StringBuilder();

        void run() {
            Throwable error = null;
            try {
                EventStreamConnection c = transport.openStream(Duration.ofNanos(streamReadTimeoutNanos));
                connection = c;
                if (cancelled) {
                    c.close();
                    return;
                }
                status = c.status();
                if (status == 200) {
                    opened();
                    String line;
                    while (!cancelled && (line = c.readLine()) != null) {
                        onNext(line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                error = e;
            } finally {
                EventStreamConnection c = connection;
                if (c != null) {
                    c.close();
                }
            }
            ended(error);
        }

        private void opened() {
            openedNanos = System.nanoTime();
            lastLineNanos = openedNanos;
            streamConnected = stream == this;
            streamLog.success();
            fetch(); // catch up on anything missed while disconnected
        }

        /** SSE: a blank line dispatches; ':' starts a comment (heartbeat); else "field: value". */
        void onNext(String line) {
            lastLineNanos = System.nanoTime();
            if (cancelled) {
                return;
            }
            if (line.isEmpty()) {
                dispatch();
            } else if (line.charAt(0) != ':') {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    event = value;
                } else if (field.equals("data")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(value);
                }
            }
        }

        private void dispatch() {
            String name = event;
            String payload = data.toString();
            event = null;
            data.setLength(0);
            if ("snapshot".equals(name)) {
                streamed(payload);
                return;
            }
            if (!"changed".equals(name)) {
                return;
            }
            long announced = Long.MAX_VALUE;
            try {
                announced = Json.MAPPER.readValue(payload, Wire.Changed.class).changeNumber();
            } catch (Exception e) {
                // unreadable payload: fetch anyway, the ETag makes it cheap
            }
            EvaluationEngine current = engine;
            if (current == null || announced > current.changeNumber() || !serverConfirmed) {
                fetch();
            }
        }

        /**
         * Handles a pushed snapshot on this thread exactly as a fetched one (never applied over a newer change
         * number), its change number standing for the {@code ETag} the server gives the same snapshot. A payload
         * that cannot be read falls back to a fetch.
         */
        private void streamed(String payload) {
            Snapshot snapshot;
            try {
                snapshot = Json.MAPPER.readValue(payload, Snapshot.class);
            } catch (Exception e) {
                snapshot = null;
            }
            if (snapshot == null) {
                fetch();
                return;
            }
            counters.snapshotsStreamed.increment();
            handle(new Transport.Fetched(snapshot, "\"" + snapshot.changeNumber() + "\""));
        }

        void awaitExit(long millis) {
            Thread t = thread;
            if (t == null || t == Thread.currentThread()) {
                return;
            }
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Closes the socket, which also ends the blocked read on the stream's thread. */
        void cancel() {
            cancelled = true;
            EventStreamConnection c = connection;
            if (c != null) {
                c.close();
            }
        }

        void ended(Throwable error) {
            if (closed || cancelled || stream != this) {
                return;
            }
            boolean stable = openedNanos != 0 && System.nanoTime() - openedNanos >= STABLE_STREAM_NANOS;
            if (!stable) {
                String cause = status == 401 || status == 403
                        ? "HTTP " + status + ": the SDK key was refused"
                        : status != 0 && status != 200
                                ? "HTTP " + status
                                : error != null ? "connection failed (" + error + ")" : "stream closed by the server";
                streamLog.failure(cause + "; falling back to polling every " + pollingInterval);
            }
            dropStream(this, stable);
        }
    }
}
