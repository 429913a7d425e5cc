package dev.dimmer.sdk.eval;

import java.util.Set;

/**
 * A prerequisite ready to test: the flag to evaluate first, the treatments that let this flag
 * proceed, and the result to serve when they do not.
 */
record CompiledPrerequisite(String flag, Set<String> treatments, EvaluationResult notMet) {}
