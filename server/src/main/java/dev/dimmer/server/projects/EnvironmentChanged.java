package dev.dimmer.server.projects;

/** An environment's change number moved; published inside the changing transaction. */
public record EnvironmentChanged(long environmentId, long changeNumber) {}
