package dev.dimmer.server.sdkapi;

import dev.dimmer.sdk.eval.EvaluationEngine;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The server's compiled evaluation engine per environment, rebuilt only when the environment's
 * change number moves. The server evaluates with the very engine the SDKs embed, on the very
 * snapshot they download, so "why did key K get T" cannot disagree with what a service saw.
 */
@Component
public class EngineCache {

    private record Compiled(long changeNumber, EvaluationEngine engine) {}

    private final ConcurrentHashMap<Long, Compiled> engines = new ConcurrentHashMap<>();
    private final ChangeFeed feed;
    private final SnapshotCache snapshots;

    EngineCache(ChangeFeed feed, SnapshotCache snapshots) {
        this.feed = feed;
        this.snapshots = snapshots;
    }

    public EvaluationEngine current(long environmentId) {
        long changeNumber = feed.current(environmentId);
        Compiled cached = engines.get(environmentId);
        if (cached != null && cached.changeNumber() >= changeNumber) {
            return cached.engine();
        }
        return engines.compute(environmentId, (id, current) -> {
                    if (current != null && current.changeNumber() >= changeNumber) {
                        return current;
                    }
                    // the snapshot the SDKs download, read once per change for both
                    EvaluationEngine engine = EvaluationEngine.compile(
                            snapshots.get(id, changeNumber).snapshot());
                    return new Compiled(engine.changeNumber(), engine);
                })
                .engine();
    }
}
