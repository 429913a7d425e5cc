package dev.dimmer.sdk.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The allocation budget of DESIGN.md §7, checked on every build rather than only in the benchmark:
 * the common path (key list, attribute list, split) allocates nothing, even before the JIT.
 */
class AllocationTests {

    @Test
    void evaluate_commonPath_allocatesNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(
                threads instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
                "this JVM cannot measure per-thread allocation");
        var allocation = (com.sun.management.ThreadMXBean) threads;
        List<String> staff = IntStream.range(0, 100).mapToObj(i -> "staff-" + i).toList();
        FlagConfig flag = Fixtures.flag(
                "f",
                Serve.fixed("off"),
                new Rule("staff", List.of(new Condition("key", "IN", staff, false, false)), Serve.fixed("on")),
                new Rule(
                        "nordics",
                        List.of(new Condition("country", "IN", List.of("NO", "SE"), false, false)),
                        Serve.fixed("on")),
                new Rule("rollout", List.of(), Serve.split(List.of(new Split("on", 1000), new Split("off", 9000)))));
        EvaluationEngine engine = Fixtures.engine(Fixtures.withTraffic(flag, 5000));
        String[] keys = IntStream.range(0, 64)
                .mapToObj(i -> i % 8 == 0 ? "staff-" + i : "user-" + i)
                .toArray(String[]::new);
        Map<String, Object> nordic = Map.of("country", "NO");
        Map<String, Object> other = Map.of("country", "US");
        long id = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3 && allocated >= 1_000; round++) { // < 0.1 B/op: measurement noise
            long before = allocation.getThreadAllocatedBytes(id);
            for (int i = 0; i < 10_000; i++) {
                engine.evaluate("f", keys[i & 63], (i & 1) == 0 ? nordic : other, "off");
            }
            allocated = allocation.getThreadAllocatedBytes(id) - before;
        }
        assertThat(allocated).as("bytes allocated by 10 000 evaluations").isLessThan(1_000);
    }
}
