package dev.dimmer.server.system;

/** One bad field of a request: an RFC 6901 JSON pointer into the request body and what is wrong. */
public record InvalidField(String pointer, String detail) {}
