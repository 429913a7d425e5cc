package dev.dimmer.sdk.eval;

import static dev.dimmer.sdk.eval.Fixtures.cond;
import static dev.dimmer.sdk.eval.Fixtures.engine;
import static dev.dimmer.sdk.eval.Fixtures.flag;
import static dev.dimmer.sdk.eval.Fixtures.off;
import static dev.dimmer.sdk.eval.Fixtures.on;
import static dev.dimmer.sdk.eval.Fixtures.rule;
import static dev.dimmer.sdk.eval.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConcurrencyTests {

    @Test
    void evaluate_fromManyThreadsAtOnce_agreesWithOneThread() throws Exception {
        EvaluationEngine engine = engine(flag(
                "f",
                split(2500),
                rule("r", off(), cond("country", "IN", "NO")),
                rule("s", on(), cond("key", "STARTS_WITH", "vip-"))));
        List<String> keys = IntStream.range(0, 2_000)
                .mapToObj(i -> (i % 7 == 0 ? "vip-" : "u-") + i)
                .toList();
        Map<String, Object> attributes = Map.of("country", "SE");
        List<EvaluationResult> expected = keys.stream()
                .map(key -> engine.evaluate("f", key, attributes, "d"))
                .toList();
        Callable<List<EvaluationResult>> task = () -> keys.stream()
                .map(key -> engine.evaluate("f", key, attributes, "d"))
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<EvaluationResult>>> results = pool.invokeAll(List.of(task, task, task, task));
            for (Future<List<EvaluationResult>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
