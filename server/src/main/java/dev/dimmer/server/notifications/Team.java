package dev.dimmer.server.notifications;

import java.time.Instant;

/** A team of a project, named by flags' {@code ownerTeam}. */
record Team(long id, long projectId, String key, String name, Instant createdAt, Instant updatedAt) {}
