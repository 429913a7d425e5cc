package dev.dimmer.server.notifications;

import java.util.Map;

/**
 * What a team is told, independent of the channel that carries it: a webhook sends it as JSON, Slack as text a person
 * reads.
 *
 * @param kind what happened, dotted: {@code alert.opened}, {@code alert.updated}, {@code alert.resolved},
 *     {@code flag.killed}, {@code flag.stale}, {@code plan.<transition>}, {@code schedule.applied},
 *     {@code schedule.failed}, {@code test}
 * @param project the project's key
 * @param environment the environment's key, or null when the notice is not about one
 * @param flag the flag's key, or null when the notice is not about one
 * @param title one line: what happened to what
 * @param text a few sentences a person reads: the numbers, what Dimmer did, how to undo it
 * @param link where to look (the report, the alert), or null
 * @param details machine-readable facts (metric, effect, interval, p, users per arm, action …) for webhook receivers
 */
public record Notice(
        String kind,
        String project,
        String environment,
        String flag,
        String title,
        String text,
        String link,
        Map<String, Object> details) {}
