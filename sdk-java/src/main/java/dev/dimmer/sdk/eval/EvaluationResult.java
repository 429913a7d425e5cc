package dev.dimmer.sdk.eval;

/**
 * The answer to "which treatment does this key get, and why" (DESIGN.md §3).
 *
 * @param flag the flag key asked for
 * @param treatment the served treatment, or the caller's default when {@code reason} is ERROR
 * @param config the served treatment's JSON configuration as plain Java, or null
 * @param label the human-readable cause, e.g. {@code rule:beta-testers} or {@code killed}
 * @param reason the OpenFeature-style reason
 * @param ruleId the matching rule's id, or null when no rule served
 * @param changeNumber the snapshot's change number this answer was computed from
 * @param errorCode null unless {@code reason} is {@link Reason#ERROR}
 */
public record EvaluationResult(
        String flag,
        String treatment,
        Object config,
        String label,
        Reason reason,
        String ruleId,
        long changeNumber,
        ErrorCode errorCode) {}
