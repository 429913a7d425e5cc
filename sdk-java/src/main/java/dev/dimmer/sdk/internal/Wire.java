package dev.dimmer.sdk.internal;

import java.util.List;
import java.util.Map;

/** Request bodies of {@code POST /api/sdk/v1/impressions} and {@code /events}. */
public final class Wire {

    private Wire() {}

    public record SdkInfo(String name, String version, String instanceId) {}

    public record Impression(String flag, String key, String treatment, String label, long changeNumber, String time) {}

    public record Event(String key, String type, Double value, Map<String, Object> properties, String time) {}

    public record ImpressionBatch(String batchId, SdkInfo sdk, List<Impression> impressions) {}

    public record EventBatch(String batchId, SdkInfo sdk, List<Event> events) {}

    public record Changed(long changeNumber) {}
}
