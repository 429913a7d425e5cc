package dev.dimmer.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;

/**
 * Where benchmarks put their numbers: standard output and {@code target/benchmarks/<name>.txt}
 * (surefire sends standard output to {@code target/surefire-reports/*-output.txt}).
 */
final class BenchmarkReport {

    private final Path file;

    BenchmarkReport(String name) {
        this.file = Path.of("target", "benchmarks", name + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line("# " + name + " at " + Instant.now() + " on "
                + Runtime.getRuntime().availableProcessors()
                + " CPUs, " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, load average "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    void line(String text) {
        System.out.println(text);
        try {
            Files.writeString(file, text + System.lineSeparator(), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code q}-quantile (nearest rank) of {@code values}, which it sorts. */
    static long percentile(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
