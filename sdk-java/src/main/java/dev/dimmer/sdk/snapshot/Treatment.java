package dev.dimmer.sdk.snapshot;

/**
 * A treatment a flag can serve, with an optional JSON configuration: {@code config} holds the
 * parsed JSON value as plain Java (Map, List, String, Number, Boolean or null).
 */
public record Treatment(String name, String description, Object config) {}
