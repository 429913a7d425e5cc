package dev.dimmer.e2e.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the soak runs, from {@code -Dsoak.*} system properties (Maven passes {@code -D} options to
 * the test JVM). Every value has a bound, so no setting can make the run endless or unbounded in
 * memory.
 *
 * @param clients SDK clients, spread evenly over the two replicas
 * @param duration the measured part of the run (after {@code warmup})
 * @param warmup flag changes and events run, but nothing is measured yet (JIT, caches, pools)
 * @param changeEvery one flag change through the admin API this often
 * @param eventsPerSecond evaluations + {@code track()} calls, spread round-robin over the clients
 * @param sampleEvery resources and latencies are sampled this often
 * @param fullGcEvery a forced full GC of each JVM (jcmd for the replicas), to read heap after GC;
 *     also at the first and last sample; zero for only those two
 * @param flags flags changed in turn (configuration PUT, kill, restore)
 * @param serverHeap {@code -Xmx} of each replica
 * @param streamTimeoutMinutes the replicas' {@code dimmer.sdk.stream.timeout-minutes}: after it a
 *     stream ends and the SDK reconnects (the server's default is 30)
 * @param jar the runnable server jar
 * @param output where the CSV, the plot and the report go
 */
record SoakSettings(
        int clients,
        Duration duration,
        Duration warmup,
        Duration changeEvery,
        int eventsPerSecond,
        Duration sampleEvery,
        Duration fullGcEvery,
        int flags,
        String serverHeap,
        int streamTimeoutMinutes,
        Path jar,
        Path output) {

    SoakSettings {
        require(clients >= 2 && clients <= 5_000, "soak.clients must be 2..5000");
        require(
                !duration.isNegative() && duration.compareTo(Duration.ofHours(2)) <= 0,
                "soak.duration must be at most 2h");
        require(warmup.compareTo(Duration.ofMinutes(10)) <= 0, "soak.warmup must be at most 10m");
        require(changeEvery.toMillis() >= 100, "soak.changeEvery must be at least 100ms");
        require(eventsPerSecond >= 0 && eventsPerSecond <= 10_000, "soak.eventsPerSecond must be 0..10000");
        require(sampleEvery.toMillis() >= 1_000, "soak.sampleEvery must be at least 1s");
        require(flags >= 1 && flags <= 100, "soak.flags must be 1..100");
        require(streamTimeoutMinutes >= 1, "soak.streamTimeoutMinutes must be at least 1");
        require(
                (long) maxChanges(duration, warmup, changeEvery) * clients <= 20_000_000L,
                "soak.clients x changes must stay under 20 million latency slots");
    }

    static SoakSettings fromSystemProperties() {
        return new SoakSettings(
                Integer.getInteger("soak.clients", 500),
                duration("soak.duration", "10m"),
                duration("soak.warmup", "60s"),
                duration("soak.changeEvery", "1s"),
                Integer.getInteger("soak.eventsPerSecond", 200),
                duration("soak.sampleEvery", "10s"),
                duration("soak.fullGcEvery", "2m"),
                Integer.getInteger("soak.flags", 5),
                System.getProperty("soak.serverHeap", "512m"),
                Integer.getInteger("soak.streamTimeoutMinutes", 30),
                findJar(),
                Path.of(System.getProperty("soak.output", "target/soak")));
    }

    /** Changes sent at most: warm-up and measured part, plus a margin for the last tick. */
    int maxChanges() {
        return maxChanges(duration, warmup, changeEvery);
    }

    private static int maxChanges(Duration duration, Duration warmup, Duration changeEvery) {
        return (int) (duration.plus(warmup).toMillis() / changeEvery.toMillis()) + 10;
    }

    int samples() {
        return (int) (duration.toMillis() / sampleEvery.toMillis()) + 1;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%d clients, %s measured after %s warm-up, a flag change every %d ms over %d flags, %d events/s,"
                        + " samples every %d s, forced full GC every %s, replicas -Xmx%s, stream timeout %d min",
                clients,
                duration,
                warmup,
                changeEvery.toMillis(),
                flags,
                eventsPerSecond,
                sampleEvery.toSeconds(),
                fullGcEvery.isZero() ? "(first and last sample only)" : fullGcEvery.toString(),
                serverHeap,
                streamTimeoutMinutes);
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 500ms} or ISO-8601 ({@code PT10M}). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long amount = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("not a duration: " + text + " (use 90s, 10m, 1h, 500ms)");
        };
    }

    private static Duration duration(String property, String fallback) {
        return parseDuration(System.getProperty(property, fallback));
    }

    /** {@code -Dsoak.jar}, else the one the build made: {@code server/target/dimmer-server-*-exec.jar}. */
    private static Path findJar() {
        String explicit = System.getProperty("soak.jar");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        // Surefire runs in src/test; from the repository root the path is server/target.
        for (Path target : List.of(Path.of("../../server/target"), Path.of("server/target"))) {
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    var found = files.filter(p -> {
                                String name = p.getFileName().toString();
                                return name.startsWith("dimmer-server-") && name.endsWith("-exec.jar");
                            })
                            .findFirst();
                    if (found.isPresent()) {
                        return found.get().toAbsolutePath().normalize();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no server/target/dimmer-server-*-exec.jar: build the server first"
                + " (./mvnw -B -pl server -am package -DskipTests) or pass -Dsoak.jar=<path>");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
