package dev.dimmer.sdk.eval;

/** STAND-IN (replaced by the real engine at merge time): the outcome of one evaluation. */
public record EvaluationResult(
        String flag,
        String treatment,
        Object config,
        String label,
        Reason reason,
        String ruleId,
        long changeNumber,
        ErrorCode errorCode) {}
