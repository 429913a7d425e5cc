/**
 * The one flag evaluation engine (DESIGN.md §3), shared by the SDK and the server:
 * {@link dev.dimmer.sdk.eval.EvaluationEngine} compiles a snapshot and evaluates flags without
 * I/O, locks or (on the common path) allocation; {@link dev.dimmer.sdk.eval.ConfigValidator}
 * refuses on save what the engine could not evaluate; {@link dev.dimmer.sdk.eval.Bucketing} is
 * the hashing every SDK must reproduce bit for bit.
 */
package dev.dimmer.sdk.eval;
