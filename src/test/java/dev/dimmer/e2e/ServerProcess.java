package dev.dimmer.e2e;

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
 * One replica of the real server <em>jar</em> ({@code server/target/dimmer-server-<v>-exec.jar}, the artifact that is
 * shipped) running as a child process on a loopback port, so that a test can SIGKILL it ({@link #kill()}) and start
 * it again on the same port ({@link #restart()}), as a supervisor would. Its output goes to {@code
 * target/e2e-logs/<name>.log} (restarts append to it).
 *
 * <p>The jar is found through the system property {@code dimmer.server.jar}, which {@code src/test/pom.xml} points at
 * the server module's build output: {@code ./mvnw -pl src/test -am verify} packages the server first.
 */
final class ServerProcess implements AutoCloseable {

    /** How long a replica may take to answer its readiness probe: the machine is shared and slow. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int port;
    private final List<String> args;
    private final Path jar;
    private final List<String> jvmOptions;
    private final boolean createsAdminToken;
    private final Path log;
    private Process process;

    private ServerProcess(
            String name,
            String jdbcUrl,
            String username,
            String password,
            int port,
            List<String> args,
            Path jar,
            List<String> jvmOptions,
            boolean createsAdminToken) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.port = port;
        this.args = List.copyOf(args);
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.createsAdminToken = createsAdminToken;
        this.log = Path.of("target", "e2e-logs", name + ".log");
    }

    /**
     * Starts a replica without waiting for it; {@link #awaitReady()} waits. Only a replica with {@code
     * createsAdminToken} is given {@code DIMMER_ADMIN_TOKEN}: two replicas starting at once on an empty database
     * would race to create it, and one token in the shared database serves both.
     *
     * @param args extra {@code --name=value} properties (compressed intervals and the like)
     */
    static ServerProcess launch(String name, TestDatabase database, boolean createsAdminToken, String... args) {
        return launch(name, database.jdbcUrl(), database.username(), database.password(), createsAdminToken, args);
    }

    static ServerProcess launch(
            String name, String jdbcUrl, String username, String password, boolean createsAdminToken, String... args) {
        return launch(new ServerProcess(
                name, jdbcUrl, username, password, freePort(), List.of(args), jar(), List.of(), createsAdminToken));
    }

    /**
     * Starts {@code jar} (a prepared copy of the server, e.g. {@code deploy/fast-start.sh}'s) with extra JVM options,
     * creating the admin token, without waiting for it.
     */
    static ServerProcess launchJar(String name, TestDatabase database, Path jar, List<String> jvmOptions) {
        return launch(new ServerProcess(
                name,
                database.jdbcUrl(),
                database.username(),
                database.password(),
                freePort(),
                List.of(),
                jar,
                jvmOptions,
                true));
    }

    private static ServerProcess launch(ServerProcess server) {
        try {
            Files.createDirectories(server.log.getParent());
            Files.deleteIfExists(server.log); // a restart appends; a new launch starts the log afresh
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.spawn();
        return server;
    }

    /** The server's jar, as the build produced it. */
    static Path jar() {
        String configured = System.getProperty("dimmer.server.jar");
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(
                    "system property dimmer.server.jar is not set (src/test/pom.xml sets it for surefire)");
        }
        Path jar = Path.of(configured);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the server jar " + jar.toAbsolutePath()
                    + " does not exist: build it first (./mvnw -pl src/test -am verify packages the server)");
        }
        return jar;
    }

    private void spawn() {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "---- " + java.time.Instant.now() + " starting " + name + " on port " + port + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small and quick to start: two replicas and the test share two cores with other work.
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--logging.level.dev.dimmer=INFO",
                "--dimmer.notifications.allow-addresses=127.0.0.1"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SPRING_DATASOURCE_URL", jdbcUrl);
        builder.environment().put("SPRING_DATASOURCE_USERNAME", username);
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", password);
        if (createsAdminToken) {
            builder.environment().put("DIMMER_ADMIN_TOKEN", Api.ADMIN_TOKEN);
        } else {
            builder.environment().remove("DIMMER_ADMIN_TOKEN");
        }
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the replica answers its readiness probe; fails with the end of its log if it exits or is slow. */
    ServerProcess awaitReady() throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tailOfLog());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not ready within " + START_TIMEOUT + ":\n" + tailOfLog());
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Api admin() {
        return Api.admin(port);
    }

    /** The process id of the running replica (the server names its notification worker {@code <pid>@<host>/…}). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for 30 s");
        }
    }

    /** Starts the replica again on the same port and database (after {@link #kill()} or {@link #stop()}). */
    ServerProcess restart() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        spawn();
        return this;
    }

    /** SIGTERM: a graceful stop. */
    void stop() throws InterruptedException {
        if (isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** The end of the replica's log, for failure messages. */
    String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The replica's whole log (this run and earlier ones of the same name are appended). */
    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
