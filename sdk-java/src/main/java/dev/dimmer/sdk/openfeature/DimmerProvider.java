package dev.dimmer.sdk.openfeature;

import dev.dimmer.sdk.ClientState;
import dev.dimmer.sdk.ConfigurationChange;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.DimmerNotReadyException;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import dev.openfeature.sdk.exceptions.GeneralError;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OpenFeature provider for Dimmer: evaluates locally through a {@link DimmerClient}.
 *
 * <p><b>Context.</b> The OpenFeature targeting key is the Dimmer key; every other attribute of
 * the evaluation context becomes a Dimmer attribute (structures become maps, lists stay lists).
 *
 * <p><b>Values.</b> The variant is always the treatment name; the reason is Dimmer's reason
 * ({@code TARGETING_MATCH}, {@code SPLIT}, {@code DEFAULT}, {@code DISABLED}, {@code ERROR}); the
 * flag metadata carries {@code label}, {@code changeNumber} and, when a rule served, {@code
 * ruleId}. Typed values:
 *
 * <ul>
 *   <li>boolean: treatment {@code on}/{@code true} → true, {@code off}/{@code false} → false (any
 *       case), otherwise the treatment's config if it is a JSON boolean, else {@code TYPE_MISMATCH};
 *   <li>string: the treatment name (a flag's treatments are its string values);
 *   <li>integer, double: the treatment's JSON config when it is a number (an integer flag needs
 *       a whole number in range), else {@code TYPE_MISMATCH};
 *   <li>object: the treatment's JSON config as a {@link Value}, {@code TYPE_MISMATCH} when the
 *       treatment has no config.
 * </ul>
 *
 * <p><b>Errors</b> are returned, not thrown, with the caller's default value and reason {@code
 * ERROR}: {@code PROVIDER_NOT_READY} (no snapshot yet), {@code TARGETING_KEY_MISSING}, {@code
 * FLAG_NOT_FOUND}, {@code TYPE_MISMATCH}, {@code GENERAL}.
 *
 * <p><b>Lifecycle.</b> {@link #initialize} builds a client from the supplier, starts it and
 * waits up to the init timeout; if it cannot become ready it throws ({@code PROVIDER_FATAL} for a
 * refused SDK key) but keeps retrying in the background and emits {@code PROVIDER_READY} when it
 * recovers. Afterwards it emits {@code PROVIDER_CONFIGURATION_CHANGED} (with the changed flag
 * keys) on each new snapshot, {@code PROVIDER_STALE} when the server has been unreachable too
 * long, and {@code PROVIDER_READY} again on recovery. {@link #shutdown} closes the client (which
 * flushes events) and returns the provider to its uninitialised state; a later {@code initialize}
 * builds a new client.
 */
public class DimmerProvider extends EventProvider {

    /** The provider name in {@link #getMetadata()}. */
    public static final String NAME = "dimmer";

    private static final Metadata METADATA = () -> NAME;

    private final Supplier<DimmerClient> clientFactory;
    private final Duration initTimeout;
    private volatile DimmerClient client;
    private volatile boolean initialized;
    private final List<Runnable> subscriptions = new ArrayList<>();

    private static final int METADATA_SLOTS = 256;
    private static final VarHandle METADATA_CACHE = MethodHandles.arrayElementVarHandle(CachedMetadata[].class);

    private record CachedMetadata(EvaluationResult result, ImmutableMetadata metadata) {}

    private final CachedMetadata[] metadataCache = new CachedMetadata[METADATA_SLOTS];

    /** A provider whose client comes from {@code clientFactory}, waiting up to 10 s to be ready. */
    public DimmerProvider(Supplier<DimmerClient> clientFactory) {
        this(clientFactory, Duration.ofSeconds(10));
    }

    /** A provider whose client comes from {@code clientFactory}, waiting up to {@code initTimeout}. */
    public DimmerProvider(Supplier<DimmerClient> clientFactory, Duration initTimeout) {
        this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
        this.initTimeout = Objects.requireNonNull(initTimeout, "initTimeout");
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /** The client in use, or null before {@link #initialize} and after {@link #shutdown}. */
    public DimmerClient client() {
        return client;
    }

    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        DimmerClient c;
        synchronized (this) {
            if (client != null) {
                return;
            }
            c = Objects.requireNonNull(clientFactory.get(), "clientFactory returned null");
            client = c;
            initialized = false;
            subscriptions.add(c.onStateChanged(this::onState));
            subscriptions.add(c.onConfigurationChanged(this::onChange));
        }
        try {
            c.start();
            c.awaitReady(initTimeout);
        } catch (DimmerNotReadyException e) {
            if (e.cause() == DimmerNotReadyException.Cause.UNAUTHORIZED) {
                throw new FatalError(e.getMessage());
            }
            throw new GeneralError(e.getMessage());
        } finally {
            initialized = true;
        }
    }

    private void onState(ClientState state) {
        if (!initialized) {
            return; // the SDK reports the outcome of initialize() itself
        }
        switch (state) {
            case READY ->
                emitProviderReady(ProviderEventDetails.builder()
                        .message("Dimmer snapshot current")
                        .build());
            case STALE ->
                emitProviderStale(ProviderEventDetails.builder()
                        .message("Dimmer server unreachable; serving the last known snapshot")
                        .build());
            case ERROR ->
                emitProviderError(ProviderEventDetails.builder()
                        .errorCode(ErrorCode.GENERAL)
                        .message(
                                client == null
                                        ? "Dimmer client failing"
                                        : client.lastFailure()
                                                .map(Throwable::getMessage)
                                                .orElse("Dimmer client failing"))
                        .build());
            default -> {}
        }
    }

    private void onChange(ConfigurationChange change) {
        if (!initialized) {
            return;
        }
        emitProviderConfigurationChanged(ProviderEventDetails.builder()
                .flagsChanged(List.copyOf(change.flagsChanged()))
                .message("Dimmer snapshot " + change.previousChangeNumber() + " → " + change.changeNumber())
                .eventMetadata(ImmutableMetadata.builder()
                        .addLong("changeNumber", change.changeNumber())
                        .build())
                .build());
    }

    @Override
    public void shutdown() {
        DimmerClient c;
        synchronized (this) {
            c = client;
            client = null;
            initialized = false;
            subscriptions.forEach(Runnable::run);
            subscriptions.clear();
        }
        if (c != null) {
            c.close();
        }
        super.shutdown();
    }

    // ---- evaluation ----

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, DimmerClient::booleanOf, "boolean");
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, EvaluationResult::treatment, "string");
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, r -> toInteger(r.config()), "integer");
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, r -> r.config() instanceof Number n ? n.doubleValue() : null, "double");
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ctx, r -> r.config() == null ? null : toValue(r.config()), "object");
    }

    private <T> ProviderEvaluation<T> resolve(
            String flag, T defaultValue, EvaluationContext ctx, Function<EvaluationResult, T> convert, String type) {
        DimmerClient c = client;
        if (c == null || !(c.state() == ClientState.READY || c.state() == ClientState.STALE)) {
            return error(defaultValue, ErrorCode.PROVIDER_NOT_READY, "Dimmer client has no snapshot yet", null);
        }
        String key = ctx == null ? null : ctx.getTargetingKey();
        if (key == null || key.isEmpty()) {
            return error(
                    defaultValue, ErrorCode.TARGETING_KEY_MISSING, "the evaluation context has no targeting key", null);
        }
        EvaluationResult r = c.getTreatment(flag, key, attributes(ctx));
        if (r.errorCode() == dev.dimmer.sdk.eval.ErrorCode.FLAG_NOT_FOUND) {
            return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "flag '" + flag + "' not found", r);
        }
        if (r.errorCode() != null) {
            return error(defaultValue, ErrorCode.GENERAL, "evaluation failed: " + r.label(), r);
        }
        T value;
        try {
            value = convert.apply(r);
        } catch (RuntimeException e) {
            value = null;
        }
        if (value == null) {
            return error(
                    defaultValue,
                    ErrorCode.TYPE_MISMATCH,
                    "treatment '" + r.treatment() + "' of flag '" + flag + "' is not a " + type + " value",
                    r);
        }
        return new ProviderEvaluation<>(value, r.treatment(), r.reason().name(), null, null, metadata(r));
    }

    private <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message, EvaluationResult r) {
        return new ProviderEvaluation<>(
                defaultValue,
                null,
                Reason.ERROR.name(),
                code,
                message,
                r == null ? ImmutableMetadata.EMPTY : metadata(r));
    }

    /**
     * The flag metadata of {@code r}, built once per result: the engine returns the same prebuilt {@link
     * EvaluationResult} for every key served by the same rule, treatment or state, so the metadata (an immutable
     * map, boxed change number) is looked up by the result's identity in a small direct-mapped cache instead of being
     * built per call. A miss (an error result, built per call, or a slot taken by another result) builds it as
     * before; racing threads at worst both build it. Entries keep at most {@value #METADATA_SLOTS} results of old
     * snapshots alive.
     */
    private ImmutableMetadata metadata(EvaluationResult r) {
        int slot = System.identityHashCode(r) & (METADATA_SLOTS - 1);
        CachedMetadata cached = (CachedMetadata) METADATA_CACHE.getAcquire(metadataCache, slot);
        if (cached != null && cached.result() == r) {
            return cached.metadata();
        }
        ImmutableMetadata.ImmutableMetadataBuilder m =
                ImmutableMetadata.builder().addLong("changeNumber", r.changeNumber());
        if (r.label() != null) {
            m.addString("label", r.label());
        }
        if (r.ruleId() != null) {
            m.addString("ruleId", r.ruleId());
        }
        ImmutableMetadata metadata = m.build();
        if (r.errorCode() == null) { // error results are built per call: caching one would only evict a served one
            METADATA_CACHE.setRelease(metadataCache, slot, new CachedMetadata(r, metadata));
        }
        return metadata;
    }

    /**
     * The context's attributes for the engine: a view that converts only the attributes a rule asks for (see {@link
     * ContextAttributes}), instead of copying the whole context into a map per evaluation.
     */
    private static Map<String, ?> attributes(EvaluationContext ctx) {
        return new ContextAttributes(ctx);
    }

    private static Integer toInteger(Object config) {
        if (config instanceof Integer i) {
            return i;
        }
        if (config instanceof Long
                || config instanceof BigInteger
                || config instanceof Short
                || config instanceof Byte) {
            long l = ((Number) config).longValue();
            return l >= Integer.MIN_VALUE
                            && l <= Integer.MAX_VALUE
                            && !(config instanceof BigInteger b && b.bitLength() > 31)
                    ? (int) l
                    : null;
        }
        if (config instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? (int) d : null;
        }
        return null;
    }

    /** JSON config (Map, List, String, Number, Boolean, null) → OpenFeature {@link Value}. */
    static Value toValue(Object json) {
        if (json == null) {
            return new Value();
        }
        if (json instanceof String s) {
            return new Value(s);
        }
        if (json instanceof Boolean b) {
            return new Value(b);
        }
        if (json instanceof Integer i) {
            return new Value(i);
        }
        if (json instanceof Long l) {
            return new Value(l);
        }
        if (json instanceof BigDecimal || json instanceof Double || json instanceof Float) {
            return new Value(((Number) json).doubleValue());
        }
        if (json instanceof Number n) {
            return new Value(n.longValue());
        }
        if (json instanceof Instant t) {
            return new Value(t);
        }
        if (json instanceof Map<?, ?> map) {
            Map<String, Value> fields = new HashMap<>();
            map.forEach((k, v) -> fields.put(String.valueOf(k), toValue(v)));
            return new Value(new ImmutableStructure(fields));
        }
        if (json instanceof List<?> list) {
            List<Value> values = new ArrayList<>(list.size());
            list.forEach(v -> values.add(toValue(v)));
            return new Value(values);
        }
        return new Value(String.valueOf(json));
    }

    // ---- tracking ----

    /**
     * Records a Dimmer event: key = the context's targeting key, type = {@code eventName}, value
     * = the details' value, properties = the details' other fields. Never blocks; dropped (and
     * counted) without a targeting key or before {@link #initialize}.
     */
    @Override
    public void track(String eventName, EvaluationContext context, TrackingEventDetails details) {
        DimmerClient c = client;
        String key = context == null ? null : context.getTargetingKey();
        if (c == null || key == null || key.isEmpty() || eventName == null) {
            return;
        }
        Double value = null;
        Map<String, Object> properties = Map.of();
        if (details != null) {
            value = details.getValue().map(Number::doubleValue).orElse(null);
            properties = details.asObjectMap();
        }
        c.track(key, eventName, value, properties);
    }
}
