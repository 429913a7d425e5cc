package dev.dimmer.sdk.snapshot;

/** One arm of a split: {@code weight} basis points of the bucket space serve {@code treatment}. */
public record Split(String treatment, int weight) {}
