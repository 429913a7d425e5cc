package dev.dimmer.sdk.eval;

/**
 * One problem in a flag configuration or segment definition.
 *
 * @param pointer where, as an RFC 6901 JSON pointer into the submitted JSON (e.g. {@code /rules/0/serve})
 * @param message what is wrong, for a person
 */
public record Violation(String pointer, String message) {}
