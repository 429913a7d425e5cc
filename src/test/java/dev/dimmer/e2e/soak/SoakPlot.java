package dev.dimmer.e2e.soak;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The soak's plot: one panel per thing that must not grow, the change latency, and the load. */
final class SoakPlot {

    private static final String A = "#1f77b4";
    private static final String A_DARK = "#0b3d66";
    private static final String B = "#ff7f0e";
    private static final String B_DARK = "#8a4100";
    private static final String GENERATOR = "#2ca02c";
    private static final String GENERATOR_DARK = "#145214";
    private static final String OTHER = "#9467bd";

    private final List<Sample> samples;
    private final double[] minutes;

    private SoakPlot(List<Sample> samples) {
        this.samples = samples;
        this.minutes = samples.stream().mapToDouble(s -> s.seconds() / 60.0).toArray();
    }

    static String render(SoakSettings settings, List<Sample> samples, ChangeLatencies.Window overall) {
        return new SoakPlot(samples).render(settings, overall);
    }

    private String render(SoakSettings settings, ChangeLatencies.Window overall) {
        int cores = Runtime.getRuntime().availableProcessors();
        String subtitle = String.format(
                Locale.ROOT,
                "%d SDK clients streaming from 2 replicas, a flag change every %d ms, %d events/s, %s;"
                        + " change->SDK p50 %s / p99 %s ms; load average median %.1f on %d cores",
                settings.clients(),
                settings.changeEvery().toMillis(),
                settings.eventsPerSecond(),
                LocalDate.now(),
                Sample.millis(overall.p50()),
                Sample.millis(overall.p99()),
                GrowthCheck.median(series(Sample::loadAverage)),
                cores);
        List<SvgChart.Panel> panels = List.of(
                new SvgChart.Panel(
                        "Flag change -> SDK sees it (ms, per 10 s window)",
                        List.of(
                                line("p50", GENERATOR, s -> millis(s.latency().p50())),
                                line("p95", B, s -> millis(s.latency().p95())),
                                line("p99", "#d62728", s -> millis(s.latency().p99()))),
                        100,
                        "target p99 100 ms"),
                new SvgChart.Panel(
                        "Replica heap (MB): used, and after full GC (dots)",
                        List.of(
                                line("A used", A, s -> s.a().heapUsed()),
                                line("B used", B, s -> s.b().heapUsed()),
                                dots("A after GC", A_DARK, s -> s.a().heapAfterGc()),
                                dots("B after GC", B_DARK, s -> s.b().heapAfterGc()))),
                new SvgChart.Panel(
                        "Replica threads (/proc)",
                        List.of(line("A", A, s -> s.a().threads()), line("B", B, s -> s.b().threads()))),
                new SvgChart.Panel(
                        "Replica open file descriptors (/proc), TCP connections to it",
                        List.of(
                                line("A fds", A, s -> s.a().fds()),
                                line("B fds", B, s -> s.b().fds()),
                                line("A tcp", A_DARK, s -> s.a().tcp()),
                                line("B tcp", B_DARK, s -> s.b().tcp()))),
                new SvgChart.Panel(
                        "PostgreSQL connections (pg_stat_activity), Hikari active",
                        List.of(
                                line("A pg", A, s -> s.a().pgConnections()),
                                line("B pg", B, s -> s.b().pgConnections()),
                                line("A active", A_DARK, s -> s.a().hikariActive()),
                                line("B active", B_DARK, s -> s.b().hikariActive()))),
                new SvgChart.Panel(
                        "CPU used (cores, of " + cores + ")",
                        List.of(
                                rate("A", A, s -> s.a().cpuSeconds()),
                                rate("B", B, s -> s.b().cpuSeconds()),
                                rate("generator", GENERATOR, s -> s.generator().cpuSeconds()),
                                rate("PostgreSQL", OTHER, Sample::postgresCpuSeconds),
                                rate("whole machine", "#7f7f7f", Sample::machineCpuSeconds))),
                new SvgChart.Panel(
                        "Load generator (" + settings.clients() + " SDK clients): threads, fds",
                        List.of(
                                line("threads", GENERATOR, s -> s.generator().threads()),
                                line("fds", OTHER, s -> s.generator().fds()))),
                new SvgChart.Panel(
                        "Load generator heap (MB): used, and after full GC (dots)",
                        List.of(
                                line("used", GENERATOR, s -> s.generator().heapUsed()),
                                dots(
                                        "after GC",
                                        GENERATOR_DARK,
                                        s -> s.generator().heapAfterGc()))),
                new SvgChart.Panel(
                        "Through the SDKs (per second)",
                        List.of(
                                rate("events sent", GENERATOR, s -> s.sdk().eventsSent()),
                                rate("impressions sent", OTHER, s -> s.sdk().impressionsSent()),
                                rate("snapshot fetches", A, s -> s.sdk().snapshotFetches()),
                                rate("snapshots pushed", B, s -> s.sdk().snapshotsStreamed()))),
                new SvgChart.Panel(
                        "The machine's load average (1 min, other work included)",
                        List.of(line("load average", OTHER, Sample::loadAverage))));
        return SvgChart.render("Dimmer soak", subtitle, panels);
    }

    private SvgChart.Line line(String label, String color, ToDoubleFunction<Sample> y) {
        return new SvgChart.Line(label, color, minutes, series(y), false);
    }

    private SvgChart.Line dots(String label, String color, ToDoubleFunction<Sample> y) {
        return new SvgChart.Line(label, color, minutes, series(y), true);
    }

    /** The per-second rate of a counter between consecutive samples. */
    private SvgChart.Line rate(String label, String color, ToDoubleFunction<Sample> counter) {
        double[] rate = new double[samples.size()];
        rate[0] = Double.NaN;
        for (int i = 1; i < samples.size(); i++) {
            double seconds = samples.get(i).seconds() - samples.get(i - 1).seconds();
            rate[i] = (counter.applyAsDouble(samples.get(i)) - counter.applyAsDouble(samples.get(i - 1))) / seconds;
        }
        return new SvgChart.Line(label, color, minutes, rate, false);
    }

    private double[] series(ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).toArray();
    }

    private static double millis(long nanos) {
        return nanos < 0 ? Double.NaN : nanos / 1e6;
    }
}
