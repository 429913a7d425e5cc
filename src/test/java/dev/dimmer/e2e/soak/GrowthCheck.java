package dev.dimmer.e2e.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * "Nothing grows without bound", made checkable: the samples are cut in thirds, and a series is
 * bounded when the median of the last third is at most the larger median of the first two thirds
 * plus a slack (the larger of an absolute and a relative allowance). So a pool that fills up
 * early and then stays (Tomcat's threads, caches) passes, and a leak of any steady rate, which
 * rises from third to third, fails. Medians ignore single spikes (a GC, a burst of reconnects).
 */
record GrowthCheck(
        String series, double firstThird, double middleThird, double lastThird, double allowed, boolean bounded) {

    static GrowthCheck of(String series, double[] values, double absoluteSlack, double relativeSlack) {
        double[] known =
                Arrays.stream(values).filter(v -> !Double.isNaN(v) && v >= 0).toArray();
        if (known.length < 3) {
            return new GrowthCheck(series, Double.NaN, Double.NaN, Double.NaN, Double.NaN, true);
        }
        int third = known.length / 3;
        double first = median(Arrays.copyOfRange(known, 0, third));
        double middle = median(Arrays.copyOfRange(known, third, known.length - third));
        double last = median(Arrays.copyOfRange(known, known.length - third, known.length));
        double level = Math.max(first, middle);
        double allowed = level + Math.max(absoluteSlack, relativeSlack * level);
        return new GrowthCheck(series, first, middle, last, allowed, last <= allowed);
    }

    /**
     * The soak's checks: threads, descriptors and connections within a few of their earlier level,
     * heap after a full GC within 20% + 16 MB, the generator's threads within 10%.
     */
    static List<GrowthCheck> forSoak(List<Sample> samples) {
        List<GrowthCheck> checks = new ArrayList<>();
        for (String name : List.of("A", "B")) {
            Function<Sample, Sample.Replica> replica = name.equals("A") ? Sample::a : Sample::b;
            checks.add(
                    of(name + " threads", series(samples, s -> replica.apply(s).threads()), 5, 0.05));
            checks.add(of(
                    name + " file descriptors",
                    series(samples, s -> replica.apply(s).fds()),
                    10,
                    0.05));
            checks.add(of(
                    name + " PostgreSQL connections",
                    series(samples, s -> replica.apply(s).pgConnections()),
                    2,
                    0));
            checks.add(of(
                    name + " TCP connections",
                    series(samples, s -> replica.apply(s).tcp()),
                    10,
                    0.05));
            checks.add(of(
                    name + " heap after full GC, MB",
                    series(samples, s -> replica.apply(s).heapAfterGc()),
                    16,
                    0.20));
        }
        // Each client's two HTTP threads end after 30 s idle and come back with the next request, so the
        // generator's thread count breathes by up to 2 per client; a leak outgrows 10% within minutes.
        checks.add(of("generator threads", series(samples, s -> s.generator().threads()), 10, 0.10));
        checks.add(of(
                "generator file descriptors", series(samples, s -> s.generator().fds()), 10, 0.02));
        checks.add(of(
                "generator heap after full GC, MB",
                series(samples, s -> s.generator().heapAfterGc()),
                16,
                0.20));
        return checks;
    }

    private static double[] series(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).toArray();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%-34s thirds %9.1f %9.1f %9.1f  allowed last <= %9.1f  %s",
                series,
                firstThird,
                middleThird,
                lastThird,
                allowed,
                bounded ? "bounded" : "GREW");
    }
}
