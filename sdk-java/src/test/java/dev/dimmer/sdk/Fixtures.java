package dev.dimmer.sdk;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Snapshots, a settable clock and polling helpers shared by the SDK tests. */
public final class Fixtures {

    private Fixtures() {}

    /** A flag serving {@code served} by default; treatments on/off plus config-carrying ones. */
    public static FlagConfig flag(String key, String served) {
        return new FlagConfig(
                key,
                List.of(
                        new Treatment("on", null, null),
                        new Treatment("off", null, null),
                        new Treatment("blue", null, Map.of("color", "blue", "size", 3)),
                        new Treatment("three", null, 3),
                        new Treatment("half", null, 0.5),
                        new Treatment("yes", null, true)),
                true,
                false,
                "off",
                List.of(),
                Serve.fixed(served),
                10_000,
                1,
                2,
                List.of(),
                1);
    }

    public static FlagConfig splitFlag(String key) {
        return new FlagConfig(
                key,
                List.of(new Treatment("on", null, null), new Treatment("off", null, null)),
                true,
                false,
                "off",
                List.of(),
                Serve.split(List.of(new Split("on", 5000), new Split("off", 5000))),
                10_000,
                1,
                2,
                List.of(),
                1);
    }

    public static FlagConfig killed(String key) {
        FlagConfig f = flag(key, "on");
        return new FlagConfig(
                key, f.treatments(), true, true, "off", List.of(), f.defaultServe(), 10_000, 1, 2, List.of(), 2);
    }

    public static Snapshot snapshot(long changeNumber, FlagConfig... flags) {
        return new Snapshot("production", changeNumber, List.of(flags), List.of());
    }

    /** Defaults to the flags most tests use: "checkout" serving on, "color" serving blue. */
    public static Snapshot standard(long changeNumber) {
        return snapshot(changeNumber, flag("checkout", "on"), flag("color", "blue"));
    }

    /** A fast-polling, fast-flushing builder against {@code server}. */
    public static DimmerClient.Builder fast(FakeDimmerServer server) {
        return fast(server, Duration.ofMillis(100));
    }

    public static DimmerClient.Builder fast(FakeDimmerServer server, Duration polling) {
        return DimmerClient.builder(FakeDimmerServer.KEY)
                .baseUrl(server.baseUrl())
                .pollingInterval(polling)
                .streamReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .retries(4, Duration.ofMillis(20));
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private final AtomicLong millis;

        public MutableClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        public void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }
}
