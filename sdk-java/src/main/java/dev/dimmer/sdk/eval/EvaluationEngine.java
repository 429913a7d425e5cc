package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Treatment;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * STAND-IN for the real evaluation engine (written in another worktree, dropped at merge time).
 * Implements only the trivial part of DESIGN.md §3: unknown flag, disabled, killed, and the
 * default serve (fixed treatment or the first split arm). Rules are ignored.
 */
public final class EvaluationEngine {

    private final Snapshot snapshot;
    private final Map<String, FlagConfig> flags;

    private EvaluationEngine(Snapshot snapshot) {
        this.snapshot = snapshot;
        Map<String, FlagConfig> byKey = new HashMap<>();
        for (FlagConfig flag : snapshot.flags()) {
            byKey.put(flag.key(), flag);
        }
        this.flags = Map.copyOf(byKey);
    }

    public static EvaluationEngine compile(Snapshot snapshot) {
        return new EvaluationEngine(snapshot);
    }

    public static EvaluationEngine compile(Snapshot snapshot, Clock clock) {
        return new EvaluationEngine(snapshot);
    }

    public EvaluationResult evaluate(String flagKey, String key, Map<String, ?> attributes, String defaultTreatment) {
        FlagConfig flag = flags.get(flagKey);
        long cn = snapshot.changeNumber();
        if (flag == null) {
            return new EvaluationResult(
                    flagKey,
                    defaultTreatment,
                    null,
                    "flag not found",
                    Reason.ERROR,
                    null,
                    cn,
                    ErrorCode.FLAG_NOT_FOUND);
        }
        if (!flag.enabled()) {
            return result(flag, flag.offTreatment(), "flag off", Reason.DISABLED, cn);
        }
        if (flag.killed()) {
            return result(flag, flag.offTreatment(), "killed", Reason.DISABLED, cn);
        }
        Serve serve = flag.defaultServe();
        if (serve == null) {
            return result(flag, flag.offTreatment(), "default rule", Reason.DEFAULT, cn);
        }
        if (serve.isSplit()) {
            String t = serve.split().isEmpty()
                    ? flag.offTreatment()
                    : serve.split().get(0).treatment();
            return result(flag, t, "default rule", Reason.SPLIT, cn);
        }
        return result(flag, serve.treatment(), "default rule", Reason.DEFAULT, cn);
    }

    private static EvaluationResult result(FlagConfig flag, String treatment, String label, Reason reason, long cn) {
        Object config = null;
        for (Treatment t : flag.treatments()) {
            if (t.name().equals(treatment)) {
                config = t.config();
            }
        }
        return new EvaluationResult(flag.key(), treatment, config, label, reason, null, cn, null);
    }

    public long changeNumber() {
        return snapshot.changeNumber();
    }

    public String environment() {
        return snapshot.environment();
    }

    public Set<String> flagKeys() {
        return flags.keySet();
    }

    public Optional<FlagConfig> flag(String flagKey) {
        return Optional.ofNullable(flags.get(flagKey));
    }
}
