package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates the flags of one snapshot: which treatment a key gets, and why (DESIGN.md §3).
 *
 * <h2>Design</h2>
 *
 * <p>Evaluation is the one path in Dimmer that runs on our users' request threads, often several
 * times per request, so it is built to cost a few hundred nanoseconds, allocate nothing on the
 * common path, and never wait. The work is therefore split in two: {@link #compile} does
 * everything that depends only on the snapshot, once per snapshot, and {@link #evaluate} does only
 * what depends on the caller.
 *
 * <h3>Compile once</h3>
 *
 * <p>{@code compile} turns each {@link FlagConfig} into a tree of small immutable objects: IN lists
 * and segment key lists become hash indexes ({@link KeySet}), numbers, dates, versions and CIDRs
 * are parsed, regular expressions are compiled by RE2J (linear time, so a rule cannot be a
 * ReDoS), and every {@link EvaluationResult} that does not depend on the caller (each fixed serve,
 * each split arm, "flag off", "killed", "not in split", each "prerequisite not met") is built in
 * advance. A condition value that does not parse is dropped here, never re-parsed per call.
 *
 * <h3>Memory</h3>
 *
 * <p>An SDK holds every flag of its environment for its whole life, so the engine keeps one copy of
 * each value: {@code compile} passes the snapshot through a {@link Canonicalizer} (one hash map per
 * compile, dropped after it) so that equal strings, lists, conditions, rules and serves received
 * many times are kept once, and compiles each distinct condition once, sharing the compiled form
 * between the flags that use it. A {@link KeySet} indexes the canonical list the flag keeps rather
 * than copying it into a set. The parsed records are not kept: {@link #flag} answers the
 * canonical copy, which is equal to what was received. Measured in docs/performance.md ("SDK heap
 * for 10 000 flags").
 *
 * <h3>Allocation</h3>
 *
 * <p>On the common path, {@code evaluate} does a hash lookup for the flag, a few hash lookups in the
 * caller's attribute map and in precompiled sets, at most two MurmurHash3 passes that encode UTF-8
 * on the fly ({@link Bucketing}) rather than calling {@code getBytes}, and returns one of the
 * prebuilt results: zero bytes allocated. Allocation happens only where it buys correctness: when
 * an attribute must be converted (a number given as text, an ISO date, an address literal),
 * lower-casing for a case-insensitive IN, the RE2J matcher, an unknown flag (the result carries
 * the caller's default) and errors. List attributes are walked by index, not by iterator.
 *
 * <h3>Concurrency</h3>
 *
 * <p>An engine is immutable after {@code compile} and all its fields are final, so it is safely
 * published to any thread without a lock, and any number of threads evaluate at once with no
 * shared writes: no locks, no CAS, no volatile writes, no counters on the hot path (impressions and
 * metrics are the client's business, outside this class). A new snapshot gives a new engine; the
 * client swaps one volatile reference, and an evaluation in flight finishes on the engine it
 * started with, so a caller never sees half of one configuration and half of another.
 *
 * <h3>Failure</h3>
 *
 * <p>Evaluation never throws to the caller, following OpenFeature: an unknown flag is reason
 * {@link Reason#ERROR} with {@link ErrorCode#FLAG_NOT_FOUND}; a configuration that cannot serve
 * (the server refuses those on save, but an older SDK may meet a newer server) or an attribute
 * whose {@code toString} throws gives {@link ErrorCode#GENERAL}; both return the caller's default.
 * Prerequisites are evaluated recursively but at most {@value CompiledFlag#MAX_PREREQUISITE_DEPTH}
 * levels deep, so a cycle that slipped past the server is "not met", not a stack overflow.
 */
public final class EvaluationEngine {

    private final String environment;
    private final long changeNumber;
    private final Map<String, CompiledFlag> flags;

    private EvaluationEngine(String environment, long changeNumber, Map<String, CompiledFlag> flags) {
        this.environment = environment;
        this.changeNumber = changeNumber;
        this.flags = flags;
    }

    /** Compiles {@code snapshot}; {@code currentTime} conditions use the system clock. */
    public static EvaluationEngine compile(Snapshot snapshot) {
        return compile(snapshot, Clock.systemUTC());
    }

    /** Compiles {@code snapshot}; {@code currentTime} conditions default to {@code clock}'s now. */
    public static EvaluationEngine compile(Snapshot snapshot, Clock clock) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(clock, "clock");
        Canonicalizer canonical = new Canonicalizer(); // one per compile, dropped after it
        FlagCompiler compiler = new FlagCompiler(
                snapshot.changeNumber(), new ConditionCompiler(snapshot.segments(), clock, canonical), canonical);
        Map<String, CompiledFlag> flags = new HashMap<>();
        for (FlagConfig flag : snapshot.flags()) {
            if (flag != null && flag.key() != null) {
                FlagConfig config = canonical.flag(flag);
                flags.put(config.key(), compiler.compile(config));
            }
        }
        return new EvaluationEngine(snapshot.environment(), snapshot.changeNumber(), Map.copyOf(flags));
    }

    /**
     * The treatment {@code key} gets for {@code flagKey}, with the label and reason. Never throws:
     * problems come back as reason {@link Reason#ERROR} with {@code defaultTreatment}.
     *
     * @param key the evaluation key (user, account, device…); visible to conditions as attribute
     *     {@code key} unless {@code attributes} has one. May be null: conditions on it are false,
     *     and splits serve the off treatment as "not in split".
     * @param attributes attribute values (String, Number, Boolean, temporal, Collection, other); may be null
     */
    public EvaluationResult evaluate(String flagKey, String key, Map<String, ?> attributes, String defaultTreatment) {
        try {
            CompiledFlag flag = flagKey == null ? null : flags.get(flagKey);
            if (flag == null) {
                return error(flagKey, defaultTreatment, "flag not found", ErrorCode.FLAG_NOT_FOUND);
            }
            EvaluationResult result = flag.evaluate(key, attributes, flags, 0);
            if (result == null || result.treatment() == null) {
                return error(flagKey, defaultTreatment, "no treatment to serve", ErrorCode.GENERAL);
            }
            return result;
        } catch (RuntimeException | StackOverflowError e) {
            // No exception may reach the caller (STYLE.md §2): e.g. an attribute's toString threw.
            return error(
                    flagKey,
                    defaultTreatment,
                    "evaluation failed: " + e.getClass().getSimpleName(),
                    ErrorCode.GENERAL);
        }
    }

    private EvaluationResult error(String flagKey, String defaultTreatment, String label, ErrorCode code) {
        return new EvaluationResult(flagKey, defaultTreatment, null, label, Reason.ERROR, null, changeNumber, code);
    }

    /** The snapshot's change number, carried by every result. */
    public long changeNumber() {
        return changeNumber;
    }

    /** The environment the snapshot belongs to. */
    public String environment() {
        return environment;
    }

    /** The keys of every flag in the snapshot. */
    public Set<String> flagKeys() {
        return flags.keySet();
    }

    /** The configuration of {@code flagKey} as received, if the snapshot has it. */
    public Optional<FlagConfig> flag(String flagKey) {
        CompiledFlag flag = flagKey == null ? null : flags.get(flagKey);
        return flag == null ? Optional.empty() : Optional.of(flag.config);
    }
}
