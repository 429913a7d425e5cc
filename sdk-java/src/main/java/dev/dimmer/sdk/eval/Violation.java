package dev.dimmer.sdk.eval;

/** STAND-IN until the evaluation engine lands. */
public record Violation(String pointer, String message) {}
