package dev.dimmer.sdk;

import dev.dimmer.sdk.eval.ErrorCode;
import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.sdk.eval.Reason;
import dev.dimmer.sdk.internal.Backoff;
import dev.dimmer.sdk.internal.BatchSender;
import dev.dimmer.sdk.internal.Counters;
import dev.dimmer.sdk.internal.DaemonThreadFactory;
import dev.dimmer.sdk.internal.DedupeWindow;
import dev.dimmer.sdk.internal.EpisodeLog;
import dev.dimmer.sdk.internal.ImpressionDeduper;
import dev.dimmer.sdk.internal.Json;
import dev.dimmer.sdk.internal.MicrometerBinding;
import dev.dimmer.sdk.internal.SnapshotSync;
import dev.dimmer.sdk.internal.Transport;
import dev.dimmer.sdk.internal.Wire;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A Dimmer client: evaluates flags locally against the environment's snapshot, and reports
 * impressions and events.
 *
 * <pre>{@code
 * DimmerClient dimmer = DimmerClient.builder(sdkKey).baseUrl("https://dimmer.example.com").build();
 * dimmer.start();                       // returns at once
 * dimmer.awaitReady(Duration.ofSeconds(5)); // optional: throws DimmerNotReadyException naming the cause
 * boolean on = dimmer.getBoolean("new-checkout", userId, Map.of("country", "NL"), false);
 * dimmer.track(userId, "purchase", 42.0, Map.of());
 * dimmer.close();                       // flushes (bounded), stops every thread it started
 * }</pre>
 *
 * <p><b>Evaluation</b> never blocks, never does I/O and never throws: it reads a {@code volatile}
 * compiled engine that background threads swap when a new snapshot arrives. Failures are data in
 * the returned {@link EvaluationResult} (reason {@code ERROR}, an error code) and are logged once
 * per flag, not per call. Each successful evaluation records an impression (deduplicated per
 * hour by default) into a bounded queue; a full queue drops and counts, the caller never waits.
 *
 * <p><b>Threads.</b> Unless a {@link ScheduledExecutorService} is supplied, the client starts
 * daemon threads named {@code dimmer-sdk-*} on {@link #start()} and stops all of them in {@link
 * #close()}. No constructor or builder does I/O or starts a thread.
 */
public final class DimmerClient implements AutoCloseable {

    /** The treatment {@link #getTreatment} serves when it cannot evaluate (unknown flag, not ready). */
    public static final String CONTROL = "control";

    static final String SDK_NAME = "dimmer-java";
    static final String SDK_VERSION = Optional.ofNullable(
                    DimmerClient.class.getPackage().getImplementationVersion())
            .orElse("0.1.0-SNAPSHOT");

    private record PendingImpression(
            String flag, String key, String treatment, String label, long changeNumber, long timeMillis) {}

    private record PendingEvent(
            String key, String type, Double value, Map<String, Object> properties, long timeMillis) {}

    private final Clock clock;
    private final Counters counters = new Counters();
    private final Transport transport;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ExecutorService httpExecutor;
    private final SnapshotSync sync;
    private final BatchSender<PendingImpression> impressions;
    private final BatchSender<PendingEvent> events;
    private final ImpressionDeduper deduper;
    private final DedupeWindow dedupeWindow;
    private final Duration flushInterval;
    private final Duration closeTimeout;
    private final Set<String> loggedFlags = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<DimmerClient> readyView;

    private boolean started; // guarded by this
    private volatile boolean closed;
    private ScheduledFuture<?> flushTask; // guarded by this

    private DimmerClient(Builder b) {
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.ownsScheduler = b.scheduler == null;
        if (ownsScheduler) {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2, new DaemonThreadFactory("scheduler"));
            s.setRemoveOnCancelPolicy(true);
            s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.scheduler = s;
        } else {
            this.scheduler = b.scheduler;
        }
        ThreadPoolExecutor http = new ThreadPoolExecutor(
                2,
                2,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new DaemonThreadFactory("http"),
                new ThreadPoolExecutor.DiscardPolicy());
        http.allowCoreThreadTimeOut(true);
        this.httpExecutor = http;
        Duration requestTimeout = b.requestTimeout != null ? b.requestTimeout : Duration.ofSeconds(10);
        this.transport = new Transport(
                b.baseUrl,
                b.sdkKey,
                requestTimeout,
                requestTimeout,
                httpExecutor,
                SDK_NAME + "/" + SDK_VERSION,
                b.tlsContext);
        Duration polling = b.pollingInterval != null ? b.pollingInterval : Duration.ofSeconds(30);
        int staleAfter = b.staleAfterPollingIntervals != null ? b.staleAfterPollingIntervals : 3;
        this.sync = new SnapshotSync(
                transport,
                scheduler,
                clock,
                polling,
                b.streaming != null ? b.streaming : true,
                new Backoff(
                        b.streamReconnectInitial != null ? b.streamReconnectInitial : Duration.ofSeconds(1),
                        b.streamReconnectMax != null ? b.streamReconnectMax : Duration.ofSeconds(30)),
                polling.multipliedBy(staleAfter),
                b.streamReadTimeout != null ? b.streamReadTimeout : Duration.ofSeconds(60),
                b.bootstrapFile,
                counters);
        String instanceId = b.instanceName != null ? b.instanceName : "java-" + UUID.randomUUID();
        Wire.SdkInfo sdk = new Wire.SdkInfo(SDK_NAME, SDK_VERSION, instanceId);
        int batchSize = b.batchSize != null ? b.batchSize : 500;
        Backoff retryBackoff = new Backoff(
                b.retryInitialDelay != null ? b.retryInitialDelay : Duration.ofMillis(500), Duration.ofSeconds(30));
        int maxAttempts = b.maxAttempts != null ? b.maxAttempts : 5;
        this.impressions = new BatchSender<>(
                "impressions",
                "/impressions",
                b.impressionQueueSize != null ? b.impressionQueueSize : 10_000,
                batchSize,
                (id, items) -> new Wire.ImpressionBatch(id, sdk, impressionsOnWire(items)),
                transport,
                scheduler,
                retryBackoff,
                maxAttempts,
                requestTimeout,
                counters.impressionsQueued,
                counters.impressionsDropped,
                counters.impressionsSent,
                counters.batchesThrottled,
                clock);
        this.events = new BatchSender<>(
                "events",
                "/events",
                b.eventQueueSize != null ? b.eventQueueSize : 10_000,
                batchSize,
                (id, items) -> new Wire.EventBatch(id, sdk, eventsOnWire(items)),
                transport,
                scheduler,
                retryBackoff,
                maxAttempts,
                requestTimeout,
                counters.eventsQueued,
                counters.eventsDropped,
                counters.eventsSent,
                counters.batchesThrottled,
                clock);
        Duration window = b.impressionDedupeWindow != null ? b.impressionDedupeWindow : Duration.ofHours(1);
        this.deduper = new ImpressionDeduper(
                window.toMillis(), b.impressionDedupeCacheSize != null ? b.impressionDedupeCacheSize : 50_000);
        this.dedupeWindow = new DedupeWindow(clock, window.toMillis(), b.clock == null);
        this.flushInterval = b.flushInterval != null ? b.flushInterval : Duration.ofSeconds(10);
        this.closeTimeout = b.closeTimeout != null ? b.closeTimeout : Duration.ofSeconds(5);
        this.readyView = sync.ready().thenApply(ignored -> this);
        if (b.meterRegistry != null) {
            MicrometerBinding.bind(
                    b.meterRegistry, counters, instanceId, s -> ((SnapshotSync) s).snapshotAgeSeconds(), sync);
        }
    }

    /** A builder for a client that uses {@code sdkKey} (an environment's server-side SDK key). */
    public static Builder builder(String sdkKey) {
        return new Builder(sdkKey);
    }

    // ---- lifecycle ----

    /**
     * Starts synchronising in the background and returns at once. The future completes when the
     * client is ready (first snapshot from the server or the bootstrap file); it completes
     * exceptionally with a {@link DimmerNotReadyException} only when the server refuses the SDK
     * key (401/403) before the client was ready, or when the client is closed first. Transient
     * failures keep it pending while the client retries. Calling it again returns the same future.
     */
    public CompletableFuture<DimmerClient> start() {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new DimmerNotReadyException(
                        DimmerNotReadyException.Cause.CLOSED, "the Dimmer client was closed"));
            }
            if (!started) {
                started = true;
                sync.start();
                dedupeWindow.start(scheduler);
                long every = flushInterval.toNanos();
                flushTask = scheduler.scheduleWithFixedDelay(this::flushNow, every, every, TimeUnit.NANOSECONDS);
            }
        }
        return readyView;
    }

    /**
     * Waits up to {@code timeout} for the client to be ready. Returns at once when it already is.
     *
     * @throws DimmerNotReadyException naming the cause: the SDK key was refused (thrown as soon as
     *     the server says so), the server is unreachable, answered with an error, or sent an
     *     unparsable snapshot (at the timeout, with the latest failure), or the client was closed
     * @throws IllegalStateException if {@link #start()} was not called
     */
    public void awaitReady(Duration timeout) {
        synchronized (this) {
            if (!started && !closed) {
                throw new IllegalStateException("call start() before awaitReady()");
            }
        }
        try {
            sync.ready().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            DimmerNotReadyException last = sync.lastFailure();
            if (last == null) {
                throw new DimmerNotReadyException(
                        DimmerNotReadyException.Cause.PENDING,
                        "Dimmer client not ready after " + timeout + ": no answer yet from "
                                + transport.uri("/snapshot"));
            }
            throw new DimmerNotReadyException(
                    last.cause(), "Dimmer client not ready after " + timeout + ": " + last.getMessage());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DimmerNotReadyException notReady) {
                throw new DimmerNotReadyException(
                        notReady.cause(), "Dimmer client not ready: " + notReady.getMessage());
            }
            throw new DimmerNotReadyException(DimmerNotReadyException.Cause.PENDING, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DimmerNotReadyException(
                    DimmerNotReadyException.Cause.PENDING, "interrupted while waiting for the Dimmer client");
        }
    }

    /** The current state; see {@link ClientState}. */
    public ClientState state() {
        return sync.state();
    }

    /** The latest unrecovered failure to get a snapshot, if any. */
    public Optional<DimmerNotReadyException> lastFailure() {
        return Optional.ofNullable(sync.lastFailure());
    }

    /** Calls {@code listener} (on an SDK thread) after each new snapshot; run the result to remove it. */
    public Runnable onConfigurationChanged(Consumer<ConfigurationChange> listener) {
        return sync.onChange(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /** Calls {@code listener} (on an SDK thread) on each state change; run the result to remove it. */
    public Runnable onStateChanged(Consumer<ClientState> listener) {
        return sync.onState(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /** A copy of the client's counters. */
    public ClientStats stats() {
        Counters c = counters;
        return new ClientStats(
                c.evaluations(),
                c.impressionsQueued.sum(),
                c.impressionsDeduplicated.sum(),
                c.impressionsDropped.sum(),
                c.impressionsSent.sum(),
                c.eventsQueued.sum(),
                c.eventsDropped.sum(),
                c.eventsSent.sum(),
                c.snapshotFetches.sum(),
                c.snapshotFailures.sum(),
                c.streamReconnects.sum(),
                c.batchesThrottled.sum(),
                c.snapshotsStreamed.sum());
    }

    /** Asks for queued impressions and events to be sent now, in the background. */
    public void flush() {
        if (!closed) {
            try {
                scheduler.execute(this::flushNow);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closing
            }
        }
    }

    private void flushNow() {
        dedupeWindow.refresh();
        events.flush();
        impressions.flush();
    }

    /**
     * Stops synchronising, sends what is queued (events first, then impressions) for at most the
     * close timeout (default 5 s; what is left is counted as dropped), and stops every thread the
     * client started. A supplied scheduler is left running (only the client's tasks are
     * cancelled). Idempotent.
     */
    @Override
    public void close() {
        boolean wasStarted;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wasStarted = started;
            if (flushTask != null) {
                flushTask.cancel(false);
            }
        }
        dedupeWindow.stop();
        sync.close();
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        if (wasStarted) {
            events.close(remaining(deadline));
            impressions.close(remaining(deadline));
        } else {
            events.close(Duration.ZERO);
            impressions.close(Duration.ZERO);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        httpExecutor.shutdownNow();
        transport.close();
        try {
            if (ownsScheduler) {
                scheduler.awaitTermination(Math.max(100, remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
            }
            httpExecutor.awaitTermination(Math.max(100, remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    // ---- evaluation ----

    /** {@link #getTreatment(String, String, Map)} without attributes. */
    public EvaluationResult getTreatment(String flag, String key) {
        return getTreatment(flag, key, Map.of());
    }

    /**
     * Evaluates {@code flag} for {@code key}. Never throws: when the flag is unknown, the client
     * not ready, or an argument is null, the result has treatment {@link #CONTROL}, reason {@code
     * ERROR} and an error code. Records an impression for every successful evaluation.
     *
     * @param attributes the attributes rules may test (String, Number, Boolean, Instant,
     *     Collection values); {@code bucketingKey}, when present, replaces the key for splits
     */
    public EvaluationResult getTreatment(String flag, String key, Map<String, ?> attributes) {
        // The hot path (docs/performance.md, "SDK hot path"): on a repeat impression, the common case, this is the
        // engine plus a volatile read, a window number read from a field and one counter increment, and allocates
        // nothing. Each call counts once, in impressionsDeduplicated (a repeat) or in evaluationsOther (any other).
        EvaluationEngine engine = sync.engine();
        if (flag == null || key == null) {
            counters.evaluationsOther.increment();
            return error(flag, "missing flag or key", engine);
        }
        if (engine == null) {
            counters.evaluationsOther.increment();
            return error(flag, closed ? "client closed" : "not ready", null);
        }
        EvaluationResult result;
        try {
            result = engine.evaluate(flag, key, attributes == null ? Map.of() : attributes, CONTROL);
        } catch (RuntimeException e) {
            counters.evaluationsOther.increment();
            logOnce(flag, "evaluation failed: " + e);
            return error(flag, "evaluation failed", engine);
        }
        if (result.errorCode() == null) {
            if (deduper.firstInWindow(flag, key, result.treatment(), result.label(), dedupeWindow.current())) {
                counters.evaluationsOther.increment();
                long now = clock.millis();
                dedupeWindow.observe(now);
                impressions.offer(new PendingImpression(
                        flag, key, result.treatment(), result.label(), result.changeNumber(), now));
            } else {
                counters.impressionsDeduplicated.increment();
            }
        } else {
            counters.evaluationsOther.increment();
            if (result.errorCode() == ErrorCode.FLAG_NOT_FOUND) {
                logOnce(flag, "flag not found in environment " + engine.environment() + "; serving the default");
            }
        }
        return result;
    }

    private static EvaluationResult error(String flag, String label, EvaluationEngine engine) {
        return new EvaluationResult(
                flag,
                CONTROL,
                null,
                label,
                Reason.ERROR,
                null,
                engine == null ? -1 : engine.changeNumber(),
                ErrorCode.GENERAL);
    }

    private void logOnce(String flag, String message) {
        if (loggedFlags.size() < 1_000 && loggedFlags.add(flag)) {
            EpisodeLog.warn("Dimmer flag '" + flag + "': " + message + " (logged once per flag)");
        }
    }

    /**
     * The flag as a boolean: treatment {@code on} or {@code true} (any case) → true, {@code off}
     * or {@code false} → false; otherwise the treatment's config when it is a JSON boolean; otherwise
     * (and on any evaluation error) {@code defaultValue}.
     */
    public boolean getBoolean(String flag, String key, Map<String, ?> attributes, boolean defaultValue) {
        EvaluationResult r = getTreatment(flag, key, attributes);
        if (r.errorCode() != null) {
            return defaultValue;
        }
        Boolean b = booleanOf(r);
        return b != null ? b : defaultValue;
    }

    /**
     * The boolean meaning of a treatment: {@code on}/{@code true} → true, {@code off}/{@code
     * false} → false, else its config if that is a Boolean, else null.
     */
    public static Boolean booleanOf(EvaluationResult r) {
        String t = r.treatment();
        if (t != null) {
            if (t.equalsIgnoreCase("on") || t.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (t.equalsIgnoreCase("off") || t.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return r.config() instanceof Boolean b ? b : null;
    }

    /** The treatment's name, or {@code defaultValue} on any evaluation error. */
    public String getString(String flag, String key, Map<String, ?> attributes, String defaultValue) {
        EvaluationResult r = getTreatment(flag, key, attributes);
        return r.errorCode() != null || r.treatment() == null ? defaultValue : r.treatment();
    }

    /**
     * The served treatment's JSON config converted to {@code type} (a record, a POJO, {@code Map},
     * {@code Integer}…), or {@code defaultValue} when the evaluation failed, the treatment has no
     * config, or the config does not convert.
     */
    public <T> T getConfig(String flag, String key, Map<String, ?> attributes, Class<T> type, T defaultValue) {
        EvaluationResult r = getTreatment(flag, key, attributes);
        Object config = r.config();
        if (r.errorCode() != null || config == null) {
            return defaultValue;
        }
        if (type.isInstance(config)) {
            return type.cast(config);
        }
        try {
            return Json.MAPPER.convertValue(config, type);
        } catch (IllegalArgumentException e) {
            logOnce(flag, "config of treatment '" + r.treatment() + "' does not convert to " + type.getName());
            return defaultValue;
        }
    }

    // ---- events ----

    /**
     * Runs {@code work} and records, for {@code key}, how long it took and whether it threw, as {@link Timing}'s
     * {@code latency} and {@code error} events (for latency and error guardrails); returns what it returned and
     * rethrows what it threw. Recording never blocks.
     *
     * <pre>{@code
     * Receipt receipt = dimmer.time(userId, "checkout", () -> checkout.pay(cart));
     * }</pre>
     */
    public <T, E extends Exception> T time(String key, String operation, Timing.Work<T, E> work) throws E {
        return Timing.time(this, key, operation, work);
    }

    /** {@link #time(String, String, Timing.Work)} for a block that returns nothing. */
    public <E extends Exception> void time(String key, String operation, Timing.Task<E> task) throws E {
        Timing.time(this, key, operation, () -> {
            task.run();
            return null;
        });
    }

    /** {@link #track(String, String, Double, Map)} without value or properties. */
    public boolean track(String key, String eventType) {
        return track(key, eventType, null, Map.of());
    }

    /**
     * Queues an event for {@code key} (the same key flags are evaluated for). Never blocks.
     *
     * @return false when the event was dropped: the queue is full, the client is closed, or key or
     *     event type is blank (dropped events are counted in {@link #stats()})
     */
    public boolean track(String key, String eventType, Double value, Map<String, ?> properties) {
        if (key == null || key.isBlank() || eventType == null || eventType.isBlank()) {
            counters.eventsDropped.increment();
            return false;
        }
        Map<String, Object> props;
        if (properties == null || properties.isEmpty()) {
            props = Map.of();
        } else {
            props = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }
        return events.offer(new PendingEvent(key, eventType, value, props, clock.millis()));
    }

    private static List<Wire.Impression> impressionsOnWire(List<PendingImpression> items) {
        List<Wire.Impression> out = new ArrayList<>(items.size());
        for (PendingImpression i : items) {
            out.add(new Wire.Impression(
                    i.flag(),
                    i.key(),
                    i.treatment(),
                    i.label(),
                    i.changeNumber(),
                    Instant.ofEpochMilli(i.timeMillis()).toString()));
        }
        return out;
    }

    private static List<Wire.Event> eventsOnWire(List<PendingEvent> items) {
        List<Wire.Event> out = new ArrayList<>(items.size());
        for (PendingEvent e : items) {
            out.add(new Wire.Event(
                    e.key(),
                    e.type(),
                    e.value(),
                    e.properties(),
                    Instant.ofEpochMilli(e.timeMillis()).toString()));
        }
        return out;
    }

    /**
     * Configures a {@link DimmerClient}. Every setter may be called once (a second call is a
     * bug and throws {@link IllegalStateException}) and validates its argument at once; {@link
     * #build()} checks that the base URL is set. Nothing here does I/O or starts threads.
     */
    public static final class Builder {

        private final String sdkKey;
        private URI baseUrl;
        private Duration pollingInterval;
        private Boolean streaming;
        private Duration streamReconnectInitial;
        private Duration streamReconnectMax;
        private Duration streamReadTimeout;
        private Integer staleAfterPollingIntervals;
        private Duration flushInterval;
        private Integer batchSize;
        private Integer impressionQueueSize;
        private Integer eventQueueSize;
        private Duration impressionDedupeWindow;
        private Integer impressionDedupeCacheSize;
        private Integer maxAttempts;
        private Duration retryInitialDelay;
        private Duration requestTimeout;
        private Duration closeTimeout;
        private Path bootstrapFile;
        private ScheduledExecutorService scheduler;
        private Clock clock;
        private String instanceName;
        private Object meterRegistry;
        private javax.net.ssl.SSLContext tlsContext;
        private boolean built;

        private Builder(String sdkKey) {
            require(sdkKey != null && !sdkKey.isBlank(), "sdkKey must not be blank");
            this.sdkKey = sdkKey.strip();
        }

        /** The server's base URL, e.g. {@code https://dimmer.example.com} (required). */
        public Builder baseUrl(String baseUrl) {
            unset(this.baseUrl, "baseUrl");
            require(baseUrl != null, "baseUrl must not be null");
            URI uri;
            try {
                uri = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl is not a URI: " + baseUrl, e);
            }
            require(
                    "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()),
                    "baseUrl must be an http or https URL: " + baseUrl);
            require(uri.getHost() != null, "baseUrl has no host: " + baseUrl);
            this.baseUrl = uri;
            return this;
        }

        /** How often to poll for a new snapshot when not streaming (default 30 s, at least 10 ms). */
        public Builder pollingInterval(Duration interval) {
            unset(pollingInterval, "pollingInterval");
            this.pollingInterval = atLeast(interval, Duration.ofMillis(10), "pollingInterval");
            return this;
        }

        /** Whether to listen to the server's change stream (default true). */
        public Builder streaming(boolean enabled) {
            unset(streaming, "streaming");
            this.streaming = enabled;
            return this;
        }

        /** Stream reconnect backoff: first delay and cap (default 1 s and 30 s, with jitter). */
        public Builder streamReconnectBackoff(Duration initial, Duration max) {
            unset(streamReconnectInitial, "streamReconnectBackoff");
            this.streamReconnectInitial = atLeast(initial, Duration.ofMillis(1), "initial");
            this.streamReconnectMax = atLeast(max, initial, "max");
            return this;
        }

        /** Reconnect when the stream sends nothing, not even a heartbeat, this long (default 60 s). */
        public Builder streamReadTimeout(Duration timeout) {
            unset(streamReadTimeout, "streamReadTimeout");
            this.streamReadTimeout = atLeast(timeout, Duration.ofMillis(10), "streamReadTimeout");
            return this;
        }

        /** State STALE after the server is unreachable for this many polling intervals (default 3). */
        public Builder staleAfterPollingIntervals(int intervals) {
            unset(staleAfterPollingIntervals, "staleAfterPollingIntervals");
            require(intervals >= 1, "staleAfterPollingIntervals must be >= 1, was " + intervals);
            this.staleAfterPollingIntervals = intervals;
            return this;
        }

        /** How often queued impressions and events are sent (default 10 s). */
        public Builder flushInterval(Duration interval) {
            unset(flushInterval, "flushInterval");
            this.flushInterval = atLeast(interval, Duration.ofMillis(10), "flushInterval");
            return this;
        }

        /** Items per request; a full batch is sent without waiting for the interval (default 500). */
        public Builder batchSize(int size) {
            unset(batchSize, "batchSize");
            require(size >= 1 && size <= 10_000, "batchSize must be in [1, 10000], was " + size);
            this.batchSize = size;
            return this;
        }

        /** Capacity of the impression queue; beyond it impressions are dropped (default 10 000). */
        public Builder impressionQueueSize(int size) {
            unset(impressionQueueSize, "impressionQueueSize");
            require(size >= 1, "impressionQueueSize must be >= 1, was " + size);
            this.impressionQueueSize = size;
            return this;
        }

        /** Capacity of the event queue; beyond it events are dropped (default 10 000). */
        public Builder eventQueueSize(int size) {
            unset(eventQueueSize, "eventQueueSize");
            require(size >= 1, "eventQueueSize must be >= 1, was " + size);
            this.eventQueueSize = size;
            return this;
        }

        /**
         * Identical impressions (flag, key, treatment, label) are sent once per window (default 1
         * hour, counted from the epoch; {@link Duration#ZERO} sends every one), in a fixed table sized for {@code
         * cacheSize} distinct ones per window (default 50 000; twice as many slots, at most 4 194 304). Past that size
         * some are sent twice, none is lost. With the system clock and a window of a second or more, the window
         * changes on a timer, not by reading the clock on each evaluation (see docs/sdk-java.md).
         */
        public Builder impressionDedupe(Duration window, int cacheSize) {
            unset(impressionDedupeWindow, "impressionDedupe");
            require(window != null && !window.isNegative(), "window must be >= 0");
            require(cacheSize >= 1, "cacheSize must be >= 1, was " + cacheSize);
            this.impressionDedupeWindow = window;
            this.impressionDedupeCacheSize = cacheSize;
            return this;
        }

        /**
         * Attempts per batch when the server fails or cannot be reached (default 5) and the first
         * retry delay (default 500 ms, doubling, jittered). A 429 (or 503 with Retry-After) does
         * not count as an attempt: the batch waits as long as the server asks.
         */
        public Builder retries(int maxAttempts, Duration initialDelay) {
            unset(this.maxAttempts, "retries");
            require(maxAttempts >= 1, "maxAttempts must be >= 1, was " + maxAttempts);
            this.maxAttempts = maxAttempts;
            this.retryInitialDelay = atLeast(initialDelay, Duration.ofMillis(1), "initialDelay");
            return this;
        }

        /** Connect and response timeout of each request (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            unset(requestTimeout, "requestTimeout");
            this.requestTimeout = atLeast(timeout, Duration.ofMillis(10), "requestTimeout");
            return this;
        }

        /** How long {@link DimmerClient#close()} may spend sending what is queued (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            unset(closeTimeout, "closeTimeout");
            this.closeTimeout = atLeast(timeout, Duration.ZERO, "closeTimeout");
            return this;
        }

        /** A snapshot JSON file to be ready from when the server cannot be reached at start. */
        public Builder bootstrapFile(Path file) {
            unset(bootstrapFile, "bootstrapFile");
            require(file != null, "bootstrapFile must not be null");
            this.bootstrapFile = file;
            return this;
        }

        /**
         * Runs the client's timers and sends on {@code scheduler} instead of its own threads. The
         * client never shuts it down.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            unset(this.scheduler, "scheduler");
            require(scheduler != null, "scheduler must not be null");
            this.scheduler = scheduler;
            return this;
        }

        /** The clock for impression/event times, deduplication windows and evaluation time. */
        public Builder clock(Clock clock) {
            unset(this.clock, "clock");
            require(clock != null, "clock must not be null");
            this.clock = clock;
            return this;
        }

        /** The instance id reported with impressions and events (default {@code java-<uuid>}). */
        public Builder instanceName(String name) {
            unset(instanceName, "instanceName");
            require(name != null && !name.isBlank(), "instanceName must not be blank");
            this.instanceName = name;
            return this;
        }

        /**
         * A Micrometer {@code MeterRegistry} to register the client's meters with (typed as
         * Object so Micrometer stays optional).
         */
        public Builder meterRegistry(Object registry) {
            unset(meterRegistry, "meterRegistry");
            require(registry != null, "meterRegistry must not be null");
            require(
                    MicrometerBinding.available(getClass().getClassLoader()) && MicrometerBinding.isRegistry(registry),
                    "meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, was "
                            + registry.getClass().getName());
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The TLS context for an https base URL: its trust store decides which server certificates
         * are accepted (default: the JVM's default context). The snapshot and batch requests and
         * the event stream all use it, and all check that the certificate names the base URL's
         * host before the SDK key is sent.
         */
        public Builder tlsContext(javax.net.ssl.SSLContext context) {
            unset(tlsContext, "tlsContext");
            require(context != null, "tlsContext must not be null");
            this.tlsContext = context;
            return this;
        }

        /** A new, not yet started client. The builder cannot be used again. */
        public DimmerClient build() {
            if (built) {
                throw new IllegalStateException("build() was already called on this builder");
            }
            require(baseUrl != null, "baseUrl is required");
            built = true;
            return new DimmerClient(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        private void unset(Object current, String name) {
            if (built) {
                throw new IllegalStateException("the builder was already built");
            }
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }

        private static Duration atLeast(Duration value, Duration min, String name) {
            require(value != null, name + " must not be null");
            require(value.compareTo(min) >= 0, name + " must be at least " + min + ", was " + value);
            return value;
        }
    }
}
