package dev.dimmer.server.projects;

/** Published inside the creating transaction so other features can set up their per-environment rows. */
public record EnvironmentCreated(long projectId, long environmentId) {}
