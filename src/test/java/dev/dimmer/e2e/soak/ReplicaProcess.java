package dev.dimmer.e2e.soak;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server replica as its own process ({@code java -jar dimmer-server-*-exec.jar}) on a loopback
 * port, so its heap, threads, file descriptors and database connections are its own and can be
 * read from outside: {@code /proc/<pid>}, its {@code /actuator/prometheus}, and {@code
 * pg_stat_activity} under its {@code application_name}.
 */
final class ReplicaProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final Thread killOnExit;

    private ReplicaProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        // If the test JVM ends early (a failure, Ctrl-C), the replica must not outlive it.
        this.killOnExit = new Thread(process::destroyForcibly, "soak-kill-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts {@code dimmer-<name>} on {@code database}; returns at once (see {@link #awaitReady}). */
    static ReplicaProcess start(String name, TestDatabase database, SoakSettings settings) throws IOException {
        int port = freeLoopbackPort();
        Files.createDirectories(settings.output());
        Path log = settings.output().resolve("replica-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(
                javaCommand("java"),
                "-Xmx" + settings.serverHeap(),
                "-XX:+ExitOnOutOfMemoryError", // as docs/operations.md "JVM" asks of every deployment
                "-jar",
                settings.jar().toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--dimmer.sdk.stream.timeout-minutes=" + settings.streamTimeoutMinutes()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The environment a deployment uses; ApplicationName tells this replica's connections apart
        // in pg_stat_activity (the change feed's LISTEN connection uses the same URL).
        String url = database.jdbcUrl();
        builder.environment()
                .put(
                        "SPRING_DATASOURCE_URL",
                        url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName(name));
        builder.environment().put("SPRING_DATASOURCE_USERNAME", database.username());
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", database.password());
        builder.environment().put("DIMMER_ADMIN_TOKEN", Api.ADMIN_TOKEN);
        return new ReplicaProcess(name, builder.start(), port, log);
    }

    static String applicationName(String replicaName) {
        return "dimmer-" + replicaName;
    }

    /** Polls the public readiness probe until it answers 200; fails early if the process died. */
    void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "replica " + name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                "replica " + name + " not ready within " + timeout + "; see " + log.toAbsolutePath());
    }

    /**
     * Starts a full collection in the replica ({@code jcmd <pid> GC.run}, the JDK's own tool, which
     * attaches over a local socket), so a heap reading after {@link #awaitFullGc} is what survives a
     * GC. Started for both replicas at once: on a starved machine attaching takes seconds.
     */
    Process startFullGc() throws IOException {
        return new ProcessBuilder(javaCommand("jcmd"), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    void awaitFullGc(Process jcmd) throws InterruptedException {
        if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
            throw new IllegalStateException("jcmd GC.run on replica " + name + " took over 60 s");
        }
    }

    String name() {
        return name;
    }

    String applicationName() {
        return applicationName(name);
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** SIGTERM (graceful shutdown ends the SDK streams at once), then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; the process is gone
        }
    }

    /** A tool of the JDK running this test ({@code java}, {@code jcmd}), else the one on the PATH. */
    private static String javaCommand(String tool) {
        Path home = Path.of(System.getProperty("java.home"));
        Path candidate = home.resolve("bin").resolve(tool);
        return Files.isExecutable(candidate) ? candidate.toString() : tool;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
