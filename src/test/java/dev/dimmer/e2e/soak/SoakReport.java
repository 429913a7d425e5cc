package dev.dimmer.e2e.soak;

import dev.dimmer.sdk.ClientStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's written results: {@code soak.txt} (also printed as it goes, so a long run can be
 * watched with {@code tail -f}) with Markdown tables ready for docs/performance.md, and {@code
 * soak.csv}.
 */
final class SoakReport {

    private final Path directory;
    private final Path file;

    SoakReport(Path directory) throws IOException {
        this.directory = directory;
        this.file = directory.resolve("soak.txt");
        Files.createDirectories(directory);
        Files.writeString(file, "");
    }

    void line(String text) {
        System.out.println(text);
        try {
            Files.writeString(file, text + System.lineSeparator(), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void line(String format, Object... arguments) {
        line(String.format(Locale.ROOT, format, arguments));
    }

    /** One line per sample while the soak runs; {@code recent} is the window before the last. */
    void progress(Sample s, ChangeLatencies.Window recent, int changes) {
        line(
                "t=%4.0fs load %.1f%s | A heap %.0f MB thr %d fd %d pg %d tcp %d | B heap %.0f MB thr %d fd %d pg %d"
                        + " tcp %d | gen heap %.0f MB thr %d fd %d | changes %d%s",
                s.seconds(),
                s.loadAverage(),
                s.forcedGc() ? " (after full GC)" : "",
                s.a().heapUsed(),
                s.a().threads(),
                s.a().fds(),
                s.a().pgConnections(),
                s.a().tcp(),
                s.b().heapUsed(),
                s.b().threads(),
                s.b().fds(),
                s.b().pgConnections(),
                s.b().tcp(),
                s.generator().heapUsed(),
                s.generator().threads(),
                s.generator().fds(),
                changes,
                recent == null || recent.changes() == 0
                        ? ""
                        : " | window before p50 " + Sample.millis(recent.p50()) + " p99 " + Sample.millis(recent.p99())
                                + " ms");
    }

    void latencyTable(int clients, List<ChangeLatencies.Window> minutes, ChangeLatencies.Window all) {
        line("flag change -> SDK (" + clients + " clients, 2 replicas), per minute of the measured part;"
                + " target p99 <= 100 ms:");
        line("| minute | changes | latencies | p50 ms | p95 ms | p99 ms | max ms | last client p50 ms |"
                + " admin call p50 / p99 ms | not seen |");
        line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int m = 0; m < minutes.size(); m++) {
            line(latencyRow(Integer.toString(m + 1), minutes.get(m)));
        }
        line(latencyRow("all", all));
        line("target p99 <= 100 ms over the whole run: "
                + (all.p99() >= 0 && all.p99() <= 100_000_000L ? "met" : "MISSED"));
    }

    private static String latencyRow(String label, ChangeLatencies.Window w) {
        return String.format(
                Locale.ROOT,
                "| %s | %d | %d | %s | %s | %s | %s | %s | %s / %s | %d |",
                label,
                w.changes(),
                w.seen(),
                Sample.millis(w.p50()),
                Sample.millis(w.p95()),
                Sample.millis(w.p99()),
                Sample.millis(w.max()),
                Sample.millis(w.allClientsP50()),
                Sample.millis(w.adminP50()),
                Sample.millis(w.adminP99()),
                w.unseen());
    }

    void sdkTotals(ClientStats totals, long tracked) {
        line(
                "SDK totals: %d evaluations, events tracked %d / queued %d / sent %d / dropped %d, impressions sent"
                        + " %d / dropped %d, snapshot fetches %d (failures %d), snapshots pushed in the stream %d, stream"
                        + " reconnects %d, batches throttled (429, resent) %d",
                totals.evaluations(),
                tracked,
                totals.eventsQueued(),
                totals.eventsSent(),
                totals.eventsDropped(),
                totals.impressionsSent(),
                totals.impressionsDropped(),
                totals.snapshotFetches(),
                totals.snapshotFailures(),
                totals.snapshotsStreamed(),
                totals.streamReconnects(),
                totals.batchesThrottled());
    }

    /** First and last sample side by side (both follow a forced full GC). */
    void startVsEnd(List<Sample> samples) {
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        line("start vs end (first and last sample, both right after a forced full GC):");
        line("| | A start | A end | B start | B end | generator start | generator end |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        line(row(
                "heap after full GC, MB",
                first.a().heapAfterGc(),
                last.a().heapAfterGc(),
                first.b().heapAfterGc(),
                last.b().heapAfterGc(),
                first.generator().heapAfterGc(),
                last.generator().heapAfterGc()));
        line(row(
                "threads",
                first.a().threads(),
                last.a().threads(),
                first.b().threads(),
                last.b().threads(),
                first.generator().threads(),
                last.generator().threads()));
        line(row(
                "file descriptors",
                first.a().fds(),
                last.a().fds(),
                first.b().fds(),
                last.b().fds(),
                first.generator().fds(),
                last.generator().fds()));
        line(row(
                "RSS, MB",
                first.a().rss(),
                last.a().rss(),
                first.b().rss(),
                last.b().rss(),
                first.generator().rss(),
                last.generator().rss()));
        line(row(
                "PostgreSQL connections",
                first.a().pgConnections(),
                last.a().pgConnections(),
                first.b().pgConnections(),
                last.b().pgConnections(),
                Double.NaN,
                Double.NaN));
        line(row(
                "Hikari active",
                first.a().hikariActive(),
                last.a().hikariActive(),
                first.b().hikariActive(),
                last.b().hikariActive(),
                Double.NaN,
                Double.NaN));
        line(row(
                "TCP connections established",
                first.a().tcp(),
                last.a().tcp(),
                first.b().tcp(),
                last.b().tcp(),
                Double.NaN,
                Double.NaN));
        double seconds = Math.max(1e-9, last.seconds() - first.seconds());
        // A scrape can fail on a starved machine (empty cells): differences use the first and last known values.
        line(
                "CPU over the measured part (cores): A %.2f, B %.2f, generator %.2f, PostgreSQL backends of the"
                        + " soak's database %.2f; the whole machine %.2f of %d, so other work %.2f; GC pauses A %.1f s,"
                        + " B %.1f s;"
                        + " Hikari timeouts A %.0f, B %.0f, most pending %.0f; ingest batches stored A %.0f, B %.0f,"
                        + " shed (429) A %.0f, B %.0f",
                growth(samples, s -> s.a().cpuSeconds()) / seconds,
                growth(samples, s -> s.b().cpuSeconds()) / seconds,
                growth(samples, s -> s.generator().cpuSeconds()) / seconds,
                growth(samples, Sample::postgresCpuSeconds) / seconds,
                growth(samples, Sample::machineCpuSeconds) / seconds,
                Runtime.getRuntime().availableProcessors(),
                (growth(samples, Sample::machineCpuSeconds)
                                - growth(samples, s -> s.a().cpuSeconds())
                                - growth(samples, s -> s.b().cpuSeconds())
                                - growth(samples, s -> s.generator().cpuSeconds())
                                - growth(samples, Sample::postgresCpuSeconds))
                        / seconds,
                growth(samples, s -> s.a().gcPauseSeconds()),
                growth(samples, s -> s.b().gcPauseSeconds()),
                growth(samples, s -> s.a().hikariTimeouts()),
                growth(samples, s -> s.b().hikariTimeouts()),
                samples.stream()
                        .mapToDouble(s -> Math.max(s.a().hikariPending(), s.b().hikariPending()))
                        .filter(v -> !Double.isNaN(v))
                        .max()
                        .orElse(Double.NaN),
                lastKnown(samples, s -> s.a().ingestBatchesStored()),
                lastKnown(samples, s -> s.b().ingestBatchesStored()),
                lastKnown(samples, s -> s.a().ingestBatchesShed()),
                lastKnown(samples, s -> s.b().ingestBatchesShed()));
        double[] load =
                samples.stream().mapToDouble(Sample::loadAverage).sorted().toArray();
        line(
                "load average (1 min) during the run: min %.1f, median %.1f, max %.1f",
                load[0], GrowthCheck.median(load), load[load.length - 1]);
    }

    /** Last known value minus first known value of a cumulative series. */
    private static double growth(List<Sample> samples, ToDoubleFunction<Sample> counter) {
        double[] known = samples.stream()
                .mapToDouble(counter)
                .filter(v -> !Double.isNaN(v))
                .toArray();
        return known.length == 0 ? Double.NaN : known[known.length - 1] - known[0];
    }

    private static double lastKnown(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] known = samples.stream()
                .mapToDouble(value)
                .filter(v -> !Double.isNaN(v))
                .toArray();
        return known.length == 0 ? Double.NaN : known[known.length - 1];
    }

    private static String row(String label, double... values) {
        StringBuilder row = new StringBuilder("| ").append(label).append(" |");
        for (double v : values) {
            row.append(' ')
                    .append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : "%.1f", v))
                    .append(" |");
        }
        return row.toString();
    }

    void growth(List<GrowthCheck> checks) {
        line("growth checks (median of the last third of the samples <= the larger median of the first two"
                + " thirds + slack):");
        checks.forEach(check -> line("  " + check));
    }

    Path csv(List<Sample> samples) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(Sample.csvHeader());
        samples.forEach(s -> lines.add(s.csvRow()));
        Path csv = directory.resolve("soak.csv");
        Files.write(csv, lines);
        return csv;
    }

    Path plot(String svg) throws IOException {
        Path plot = directory.resolve("soak.svg");
        Files.writeString(plot, svg);
        return plot;
    }
}
