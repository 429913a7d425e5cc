package dev.dimmer.sdk.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.FakeDimmerServer;
import dev.dimmer.sdk.Fixtures;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import dev.openfeature.sdk.exceptions.GeneralError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DimmerProviderTests {

    private static final ImmutableContext USER = new ImmutableContext("user-1", Map.of("country", new Value("NL")));

    private FakeDimmerServer server;
    private DimmerProvider provider;
    private OpenFeatureAPI api;

    @BeforeEach
    void start() throws Exception {
        server = new FakeDimmerServer(Fixtures.snapshot(
                1,
                Fixtures.flag("bool-on", "on"),
                Fixtures.flag("bool-off", "off"),
                Fixtures.flag("bool-config", "yes"),
                Fixtures.flag("color", "blue"),
                Fixtures.flag("three", "three"),
                Fixtures.flag("half", "half"),
                Fixtures.killed("killed")));
        provider = new DimmerProvider(() -> Fixtures.fast(server).build(), Duration.ofSeconds(5));
        api = OpenFeatureAPI.createIsolated();
    }

    @AfterEach
    void stop() {
        api.shutdown();
        provider.shutdown();
        server.close();
    }

    private Client ready() {
        api.setProviderAndWait(provider);
        return api.getClient();
    }

    @Test
    @DisplayName("2.1.1 provider metadata has a name")
    void metadataName() {
        assertThat(provider.getMetadata().getName()).isEqualTo("dimmer");
    }

    @Test
    @DisplayName("2.2.1 / 2.2.2.1 typed resolution methods take flag key, default value and context")
    void typedResolution() throws Exception {
        provider.initialize(new ImmutableContext());
        assertThat(provider.getBooleanEvaluation("bool-on", false, USER).getValue())
                .isTrue();
        assertThat(provider.getStringEvaluation("color", "x", USER).getValue()).isEqualTo("blue");
        assertThat(provider.getIntegerEvaluation("three", 0, USER).getValue()).isEqualTo(3);
        assertThat(provider.getDoubleEvaluation("half", 0.0, USER).getValue()).isEqualTo(0.5);
        Value object = provider.getObjectEvaluation("color", new Value(), USER).getValue();
        assertThat(object.asStructure().getValue("color").asString()).isEqualTo("blue");
        assertThat(object.asStructure().getValue("size").asInteger()).isEqualTo(3);
    }

    @Test
    @DisplayName("2.2.3 normal execution populates value; boolean mapping on/off/true/false/config")
    void valuePopulated() throws Exception {
        provider.initialize(new ImmutableContext());
        assertThat(provider.getBooleanEvaluation("bool-off", true, USER).getValue())
                .isFalse();
        assertThat(provider.getBooleanEvaluation("bool-config", false, USER).getValue())
                .isTrue();
        assertThat(provider.getDoubleEvaluation("three", 0.0, USER).getValue()).isEqualTo(3.0);
    }

    @Test
    @DisplayName("2.2.4 variant is the treatment name")
    void variant() throws Exception {
        provider.initialize(new ImmutableContext());
        assertThat(provider.getBooleanEvaluation("bool-on", false, USER).getVariant())
                .isEqualTo("on");
        assertThat(provider.getIntegerEvaluation("three", 0, USER).getVariant()).isEqualTo("three");
    }

    @Test
    @DisplayName("2.2.5 reason carries Dimmer's reason (DEFAULT, DISABLED, ERROR)")
    void reason() throws Exception {
        provider.initialize(new ImmutableContext());
        assertThat(provider.getBooleanEvaluation("bool-on", false, USER).getReason())
                .isEqualTo(Reason.DEFAULT.name());
        assertThat(provider.getBooleanEvaluation("killed", true, USER).getReason())
                .isEqualTo(Reason.DISABLED.name());
        assertThat(provider.getBooleanEvaluation("nope", true, USER).getReason())
                .isEqualTo(Reason.ERROR.name());
    }

    @Test
    @DisplayName("2.2.6 / 2.3.2 normal execution leaves error code and error message empty")
    void noErrorOnSuccess() throws Exception {
        provider.initialize(new ImmutableContext());
        ProviderEvaluation<Boolean> e = provider.getBooleanEvaluation("bool-on", false, USER);
        assertThat(e.getErrorCode()).isNull();
        assertThat(e.getErrorMessage()).isNull();
    }

    @Test
    @DisplayName("2.2.7 / 2.3.3 abnormal execution returns an error code and message with the default value")
    void errorCodes() throws Exception {
        ProviderEvaluation<Boolean> notReady = provider.getBooleanEvaluation("bool-on", true, USER);
        assertThat(notReady.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
        assertThat(notReady.getValue()).isTrue();
        provider.initialize(new ImmutableContext());
        ProviderEvaluation<Boolean> missing = provider.getBooleanEvaluation("nope", true, USER);
        assertThat(missing.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(missing.getErrorMessage()).contains("nope");
        assertThat(missing.getValue()).isTrue();
        ProviderEvaluation<Boolean> noKey = provider.getBooleanEvaluation("bool-on", false, new ImmutableContext());
        assertThat(noKey.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
        ProviderEvaluation<Boolean> mismatch = provider.getBooleanEvaluation("color", false, USER);
        assertThat(mismatch.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(mismatch.getErrorMessage()).contains("blue");
        assertThat(provider.getIntegerEvaluation("half", 7, USER).getErrorCode())
                .isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(provider.getIntegerEvaluation("half", 7, USER).getValue()).isEqualTo(7);
        assertThat(provider.getDoubleEvaluation("bool-on", 1.0, USER).getErrorCode())
                .isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(provider.getObjectEvaluation("bool-on", new Value("d"), USER).getErrorCode())
                .isEqualTo(ErrorCode.TYPE_MISMATCH);
    }

    @Test
    @DisplayName("2.2.8.1 resolution details are generic over the value type")
    void generic() throws Exception {
        provider.initialize(new ImmutableContext());
        ProviderEvaluation<Integer> i = provider.getIntegerEvaluation("three", 0, USER);
        Integer value = i.getValue();
        assertThat(value).isEqualTo(3);
    }

    @Test
    @DisplayName("2.2.9 / 2.2.10 flag metadata: label, changeNumber (string/number values)")
    void flagMetadata() throws Exception {
        provider.initialize(new ImmutableContext());
        ProviderEvaluation<Boolean> e = provider.getBooleanEvaluation("bool-on", false, USER);
        assertThat(e.getFlagMetadata().getString("label")).isEqualTo("default rule");
        assertThat(e.getFlagMetadata().getLong("changeNumber")).isEqualTo(1L);
        assertThat(provider.getBooleanEvaluation("killed", true, USER)
                        .getFlagMetadata()
                        .getString("label"))
                .isEqualTo("killed");
    }

    @Test
    @DisplayName("2.3.1 provider hook mechanism exists (Dimmer registers none)")
    void hooks() {
        assertThat(provider.getProviderHooks()).isEmpty();
    }

    @Test
    @DisplayName("2.4.1 initialize starts the client and the provider becomes READY")
    void initialize() {
        Client client = ready();
        assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
        FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("bool-on", false, USER);
        assertThat(d.getValue()).isTrue();
        assertThat(d.getVariant()).isEqualTo("on");
        assertThat(d.getReason()).isEqualTo("DEFAULT");
    }

    @Test
    @DisplayName("2.4.2.1 initialize terminates abnormally when it cannot become ready (FATAL for a refused key)")
    void initializeFails() {
        DimmerProvider badKey = new DimmerProvider(
                () -> DimmerClient.builder("bad").baseUrl(server.baseUrl()).build(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> badKey.initialize(new ImmutableContext()))
                .isInstanceOf(FatalError.class)
                .hasMessageContaining("401");
        badKey.shutdown();
        server.close();
        DimmerProvider down = new DimmerProvider(() -> Fixtures.fast(server).build(), Duration.ofMillis(300));
        assertThatThrownBy(() -> down.initialize(new ImmutableContext()))
                .isInstanceOf(GeneralError.class)
                .hasMessageContaining("unreachable");
        down.shutdown();
    }

    @Test
    @DisplayName("2.5.1 / 2.5.2 shutdown disposes the client and reverts to not ready; re-initialize works")
    void shutdownAndReinitialize() throws Exception {
        provider.initialize(new ImmutableContext());
        DimmerClient first = provider.client();
        provider.shutdown();
        assertThat(provider.client()).isNull();
        assertThat(first.state()).isEqualTo(dev.dimmer.sdk.ClientState.CLOSED);
        assertThat(provider.getBooleanEvaluation("bool-on", false, USER).getErrorCode())
                .isEqualTo(ErrorCode.PROVIDER_NOT_READY);
        provider.initialize(new ImmutableContext());
        assertThat(provider.getBooleanEvaluation("bool-on", false, USER).getValue())
                .isTrue();
    }

    @Test
    @DisplayName("2.6.1 no context reconciliation needed: evaluation is per call, context changes need no hook")
    void contextChangeNeedsNothing() {
        Client client = ready();
        api.setEvaluationContext(new ImmutableContext("user-9"));
        assertThat(client.getBooleanValue("bool-on", false)).isTrue();
    }

    @Test
    @DisplayName("2.7.1 track records a Dimmer event with key, name, value and properties")
    void tracking() {
        Client client = ready();
        client.track("purchase", USER, new MutableTrackingEventDetails(12.5).add("sku", "A1"));
        provider.client().close();
        Map<String, Object> event = server.stored(server.events, "events").get(0);
        assertThat(event)
                .containsEntry("key", "user-1")
                .containsEntry("type", "purchase")
                .containsEntry("value", 12.5)
                .containsEntry("properties", Map.of("sku", "A1"));
    }

    @Test
    @DisplayName("context attributes become Dimmer attributes; targeting key becomes the key")
    void contextMapping() throws Exception {
        provider.initialize(new ImmutableContext());
        MutableContext ctx = new MutableContext("user-42");
        ctx.add("plan", "pro");
        assertThat(provider.getStringEvaluation("color", "x", ctx).getValue()).isEqualTo("blue");
        provider.client().close();
        assertThat(server.stored(server.impressions, "impressions"))
                .anySatisfy(i -> assertThat(i).containsEntry("key", "user-42"));
    }

    @Test
    @DisplayName("events: CONFIGURATION_CHANGED with changed flags, STALE when the server is gone")
    void events() throws Exception {
        List<EventDetails> changed = new CopyOnWriteArrayList<>();
        List<EventDetails> stale = new CopyOnWriteArrayList<>();
        api.onProviderConfigurationChanged(changed::add);
        api.onProviderStale(stale::add);
        Client client = ready();
        server.publish(Fixtures.snapshot(2, Fixtures.flag("bool-on", "off")));
        Fixtures.await("configuration changed", Duration.ofSeconds(3), () -> !changed.isEmpty());
        assertThat(changed.get(0).getFlagsChanged()).contains("bool-on", "color");
        assertThat(client.getBooleanValue("bool-on", true, USER)).isFalse();
        server.close();
        Fixtures.await("stale", Duration.ofSeconds(5), () -> !stale.isEmpty());
        assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
        assertThat(client.getBooleanValue("bool-on", true, USER)).isFalse(); // last known good
    }

    @Test
    @DisplayName("events: ERROR state and READY after recovery when the server comes up after init failed")
    void recoversAfterFailedInit() throws Exception {
        int port = server.port();
        server.close();
        DimmerProvider late = new DimmerProvider(
                () -> DimmerClient.builder(FakeDimmerServer.KEY)
                        .baseUrl("http://127.0.0.1:" + port)
                        .pollingInterval(Duration.ofMillis(100))
                        .streaming(false)
                        .build(),
                Duration.ofMillis(200));
        List<EventDetails> readyEvents = new CopyOnWriteArrayList<>();
        api.onProviderReady(readyEvents::add);
        api.setProvider("late", late);
        Client client = api.getClient("late");
        Fixtures.await("error", Duration.ofSeconds(3), () -> client.getProviderState() == ProviderState.ERROR);
        try (FakeDimmerServer revived = FakeDimmerServer.onPort(port, Fixtures.standard(1))) {
            Fixtures.await("ready", Duration.ofSeconds(5), () -> client.getProviderState() == ProviderState.READY);
            assertThat(client.getBooleanValue("checkout", false, USER)).isTrue();
            late.shutdown();
        }
    }
}
