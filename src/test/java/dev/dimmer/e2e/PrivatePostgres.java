package dev.dimmer.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of the test's own ({@code initdb} into a temporary directory, on a free loopback
 * port), so that a test can really stop and start PostgreSQL — the shared server on 5432 is never touched. The
 * binaries are those of {@code -Ddimmer.test.pgBin}, else the newest {@code /usr/lib/postgresql/<v>/bin}. PostgreSQL
 * refuses to run as root, so as root every command runs as the user {@code postgres} ({@code runuser}).
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
    }

    /** The binaries' directory, when there are any to use. */
    static Optional<Path> binaries() {
        String configured = System.getProperty("dimmer.test.pgBin");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(p -> Files.isExecutable(p.resolve("initdb")));
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path versionDirectory) {
        try {
            return Integer.parseInt(versionDirectory.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Creates the cluster and starts it. */
    static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries found"));
        Path directory = Files.createTempDirectory("dimmer-private-pg");
        PrivatePostgres pg = new PrivatePostgres(bin, directory, ServerProcess.freePort());
        if (asRoot()) {
            run(List.of("chown", "postgres:postgres", directory.toString()), false);
        }
        pg.pg(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                pg.data.toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync"));
        pg.startServer();
        return pg;
    }

    /** Starts the (stopped) server and waits until it accepts connections. */
    void startServer() throws IOException, InterruptedException {
        pg(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                directory.resolve("postgres.log").toString(),
                "-w",
                "-t",
                "120",
                "-o",
                "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c max_connections=60"
                        + " -c shared_buffers=32MB",
                "start"));
    }

    /**
     * Stops the server the way an administrator restarting it does ({@code pg_ctl stop -m fast}): every session is
     * terminated ("terminating connection due to administrator command"), open transactions roll back, and new
     * connections are refused until {@link #startServer()}.
     */
    void stopServer() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "120", "stop"));
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    int port() {
        return port;
    }

    /** Creates a database and returns its JDBC URL (user {@code postgres}, no password). */
    String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return jdbcUrl(name);
    }

    String log() {
        try {
            return Files.readString(directory.resolve("postgres.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        run(command, asRoot());
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } catch (IllegalStateException alreadyStopped) {
            // stopped already
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
