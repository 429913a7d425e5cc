package dev.dimmer.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ImpressionDeduperTests {

    private static final long HOUR = 3_600_000;

    private record Tuple(String flag, String key, String treatment, String label) {
        boolean first(ImpressionDeduper d, long window) {
            return d.firstInWindow(flag, key, treatment, label, window);
        }
    }

    private static Tuple user(int i) {
        return new Tuple("checkout", "user-" + i, "on", "rule:beta");
    }

    @Test
    void repeat_inTheSameWindow_isNotFirst_andANewWindowRecordsAgain() {
        ImpressionDeduper d = new ImpressionDeduper(HOUR, 100);
        Tuple t = user(1);
        assertThat(t.first(d, 7)).isTrue();
        assertThat(t.first(d, 7)).isFalse();
        assertThat(t.first(d, 7)).isFalse();
        assertThat(t.first(d, 8)).as("next window").isTrue();
        assertThat(t.first(d, 8)).isFalse();
    }

    @Test
    void everyField_tellsImpressionsApart_byValueNotByReference() {
        ImpressionDeduper d = new ImpressionDeduper(HOUR, 100);
        assertThat(d.firstInWindow("f", "k", "on", "l", 1)).isTrue();
        assertThat(d.firstInWindow("g", "k", "on", "l", 1)).isTrue();
        assertThat(d.firstInWindow("f", "k2", "on", "l", 1)).isTrue();
        assertThat(d.firstInWindow("f", "k", "off", "l", 1)).isTrue();
        assertThat(d.firstInWindow("f", "k", "on", "l2", 1)).isTrue();
        assertThat(d.firstInWindow("f", "k", "on", null, 1)).isTrue();
        // Equal strings built at run time (a request's user id) are the same impression.
        assertThat(d.firstInWindow(new String("f"), new String("k"), new String("on"), new String("l"), 1))
                .isFalse();
        assertThat(d.firstInWindow("f", "k", "on", null, 1)).isFalse();
    }

    @Test
    void off_whenTheWindowIsZero() {
        ImpressionDeduper d = new ImpressionDeduper(0, 100);
        assertThat(user(1).first(d, 0)).isTrue();
        assertThat(user(1).first(d, 0)).isTrue();
    }

    @Test
    void hashCollisions_areNeverTakenForARepeat() {
        // "Aa" and "BB" have the same String.hashCode, so these keys hash alike: one bucket, same stored hash.
        List<String> keys = List.of("AaAa", "AaBB", "BBAa", "BBBB");
        assertThat(keys.stream().map(String::hashCode).distinct()).hasSize(1);
        ImpressionDeduper d = new ImpressionDeduper(HOUR, 1); // a single bucket
        assertThat(d.capacity()).isEqualTo(ImpressionDeduper.WAYS);
        for (String key : keys) {
            assertThat(d.firstInWindow("f", key, "on", "l", 1)).as(key).isTrue();
        }
        for (String key : keys) {
            assertThat(d.firstInWindow("f", key, "on", "l", 1))
                    .as(key + " again")
                    .isFalse();
        }
    }

    @Test
    void aFullBucket_forgetsTowardsADuplicate_neverALoss() {
        ImpressionDeduper d = new ImpressionDeduper(HOUR, 1); // eight slots for twelve tuples
        Set<Tuple> recorded = new HashSet<>();
        int duplicates = 0;
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Tuple t = user(random.nextInt(12));
            if (t.first(d, 1)) {
                if (!recorded.add(t)) {
                    duplicates++;
                }
            } else {
                assertThat(recorded).as("only a recorded tuple may be skipped").contains(t);
            }
        }
        assertThat(recorded).hasSize(12);
        assertThat(duplicates).as("evicted tuples are recorded again").isPositive();
    }

    @Test
    void entriesOfAnEarlierWindow_makeRoomFirst() {
        int ways = ImpressionDeduper.WAYS;
        ImpressionDeduper d = new ImpressionDeduper(HOUR, 1); // one bucket
        for (int i = 0; i < ways; i++) {
            assertThat(user(i).first(d, 1)).isTrue();
        }
        // Window 2: new tuples replace those of window 1, not each other.
        for (int i = ways; i < 2 * ways; i++) {
            assertThat(user(i).first(d, 2)).isTrue();
        }
        for (int i = ways; i < 2 * ways; i++) {
            assertThat(user(i).first(d, 2)).as("user-%d", i).isFalse();
        }
        assertThat(d.size()).isEqualTo(ways);
    }

    /**
     * Any sequence of impressions over windows, on a table small enough to evict: an impression is skipped only if it
     * was recorded in the same window before (never a loss), and with room to spare none is recorded twice.
     */
    @Property(tries = 200)
    void skipsOnlyWhatWasRecordedInTheSameWindow(
            @ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 40) Integer> tuples,
            @ForAll @IntRange(min = 1, max = 64) int cacheSize,
            @ForAll long seed) {
        ImpressionDeduper d = new ImpressionDeduper(HOUR, cacheSize);
        Random random = new Random(seed);
        Set<String> recorded = new HashSet<>();
        long window = 1;
        int duplicates = 0;
        for (int i : tuples) {
            if (random.nextInt(50) == 0) {
                window++;
            }
            Tuple t = new Tuple("f" + (i % 3), "user-" + i, i % 2 == 0 ? "on" : "off", "default rule");
            String seen = t + "@" + window;
            if (t.first(d, window)) {
                if (!recorded.add(seen)) {
                    duplicates++;
                }
            } else {
                assertThat(recorded).contains(seen);
            }
        }
        if (cacheSize >= 41) { // a table of at least 128 slots for 41 tuples per window: room for all
            assertThat(duplicates).isLessThanOrEqualTo(tuples.size() / 10);
        }
    }

    @Test
    void capacity_isTwiceTheCacheSize_roundedUp_andBounded() {
        assertThat(new ImpressionDeduper(HOUR, 50_000).capacity()).isEqualTo(131_072);
        assertThat(new ImpressionDeduper(HOUR, 1_000).capacity()).isEqualTo(2_048);
        assertThat(new ImpressionDeduper(HOUR, 1).capacity()).isEqualTo(ImpressionDeduper.WAYS);
        assertThat(new ImpressionDeduper(HOUR, Integer.MAX_VALUE).capacity()).isEqualTo(ImpressionDeduper.MAX_SLOTS);
    }

    /** The duplicates the bounded table costs, as documented on the class (and docs/sdk-java.md). */
    @Test
    void duplicateRate_atAndBelowTheConfiguredSize() {
        assertThat(duplicatesOnSecondPass(50_000, 50_000)).as("at capacity").isLessThan(0.01);
        assertThat(duplicatesOnSecondPass(50_000, 25_000)).as("half full").isLessThan(0.0005);
    }

    private static double duplicatesOnSecondPass(int cacheSize, int tuples) {
        ImpressionDeduper d = new ImpressionDeduper(HOUR, cacheSize);
        for (int i = 0; i < tuples; i++) {
            assertThat(user(i).first(d, 1)).isTrue();
        }
        int again = 0;
        for (int i = 0; i < tuples; i++) {
            if (user(i).first(d, 1)) {
                again++;
            }
        }
        return again / (double) tuples;
    }

    /**
     * Threads racing on the same new tuples (each in its own order, on a table with room): each tuple is recorded by
     * exactly one of them per window.
     */
    @Test
    void concurrentFirstSightings_recordEachTupleOncePerWindow() throws Exception {
        int threads = 4;
        int tuples = 5_000;
        ImpressionDeduper d = new ImpressionDeduper(HOUR, 2 * tuples);
        // The premise: no bucket overflows with these tuples, so a second pass alone records nothing again.
        ImpressionDeduper premise = new ImpressionDeduper(HOUR, 2 * tuples);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < tuples; i++) {
                assertThat(user(i).first(premise, 1))
                        .as("pass %d, user-%d", pass, i)
                        .isEqualTo(pass == 0);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (long window = 1; window <= 3; window++) {
                AtomicIntegerArray firsts = new AtomicIntegerArray(tuples);
                CyclicBarrier start = new CyclicBarrier(threads);
                long w = window;
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < tuples; i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(t * 31L + window));
                    done.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        for (int repeat = 0; repeat < 3; repeat++) {
                            for (int i : order) {
                                if (user(i).first(d, w)) {
                                    firsts.incrementAndGet(i);
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
                for (int i = 0; i < tuples; i++) {
                    assertThat(firsts.get(i))
                            .as("user-%d in window %d", i, window)
                            .isEqualTo(1);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Threads hammering more tuples than the table holds (constant eviction): a tuple is only ever skipped once some
     * thread recorded it. A thread that skips waits (polling, bounded) for the recording thread, which may not have
     * noted its result yet, to have done so; a skip nobody recorded would time out.
     */
    @Test
    void concurrentEviction_neverSkipsAnUnrecordedTuple() throws Exception {
        int threads = 4;
        ImpressionDeduper d = new ImpressionDeduper(HOUR, 2); // one bucket of eight
        Set<Integer> recorded = ConcurrentHashMap.newKeySet();
        Set<Integer> unbacked = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int n = 0; n < 50_000; n++) {
                        int i = random.nextInt(24);
                        if (user(i).first(d, 1)) {
                            recorded.add(i);
                        } else if (!recorded.contains(i)) {
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                            while (!recorded.contains(i) && System.nanoTime() < deadline) {
                                Thread.onSpinWait();
                            }
                            if (!recorded.contains(i)) {
                                unbacked.add(i);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unbacked).as("tuples skipped that no thread recorded").isEmpty();
        assertThat(recorded).hasSize(24);
    }
}
