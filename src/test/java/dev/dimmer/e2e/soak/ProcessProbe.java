package dev.dimmer.e2e.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What Linux says about a process, read from {@code /proc} as an operator would: threads, open
 * file descriptors, resident memory, CPU time; and the machine's load average and the TCP
 * connections established to a port. Values are -1 when the process is gone.
 */
final class ProcessProbe {

    /** {@code /proc/<pid>/stat} counts CPU time in clock ticks; 100 per second on Linux (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessProbe() {}

    static int threads(long pid) {
        return (int) statusField(pid, "Threads:");
    }

    /** Resident set size in MB. */
    static double rssMb(long pid) {
        long kb = statusField(pid, "VmRSS:");
        return kb < 0 ? -1 : kb / 1024.0;
    }

    static int openFileDescriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** User + system CPU time so far, in seconds; -1 when the process is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; fields after its ')' are space-separated,
            // starting with field 3 (state): utime is field 14, stime field 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * CPU time used so far by everything on the machine, all cores together, in seconds: the
     * first line of {@code /proc/stat} without idle and iowait.
     */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += i < f.length ? Long.parseLong(f[i]) : 0;
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Established TCP connections whose local port is {@code port}: the server side of every
     * connection to a replica (SDK streams, snapshot and batch requests kept alive, our scrapes).
     */
    static int establishedTo(int port) {
        String hexPort = String.format(":%04X", port);
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (NoSuchFileException absent) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 1; i < lines.size(); i++) {
                // sl local_address rem_address st ...; state 01 is ESTABLISHED
                String[] fields = lines.get(i).trim().split("\\s+");
                if (fields.length > 3 && fields[1].endsWith(hexPort) && fields[3].equals("01")) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
