package dev.dimmer.e2e.soak;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.ClientStats;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Soak (issue 14 item 4): many SDK clients streaming from two replicas for a long time, flags
 * changing every second and a steady stream of evaluations and events, while everything that
 * could leak is sampled from outside. Nothing may grow without bound.
 *
 * <p><b>Shape.</b> A fresh database ({@link TestDatabase}); two replicas, each its own process
 * ({@code java -jar server/target/dimmer-server-*-exec.jar}) on a loopback port; N {@link
 * DimmerClient}s in this JVM with the SDK's defaults (streaming on, polling 30 s), alternately on
 * A and B. A {@link FlagChanger} changes a flag every second through the admin API (alternating
 * replicas); an {@link EventDriver} evaluates and tracks events through the clients. After a
 * warm-up, a {@link Sampler} records every {@code sampleEvery} what {@link Sample} lists; {@link
 * ChangeLatencies} gives the change → SDK latency of every change for every client.
 *
 * <p><b>Output</b> under {@code target/soak/}: {@code soak.txt} (the report, printed as it goes),
 * {@code soak.csv} (one row per sample), {@code soak.svg} (the plot). <b>Bounded:</b> every loop
 * has a deadline or a count, only 127.0.0.1 is contacted, and the run ends by itself after setup,
 * warm-up, duration and shutdown. Tagged {@code soak}, which the normal build excludes
 * (src/test/pom.xml); docs/performance.md "Soak" has the command and the settings.
 */
@Tag("soak")
class SoakTests {

    private static final int START_WAVE = 50;

    private final SoakSettings settings = SoakSettings.fromSystemProperties();

    @Test
    void clientsStreamFromTwoReplicasWhileFlagsChangeAndNothingGrows() throws Exception {
        SoakReport report = new SoakReport(settings.output());
        report.line(
                "# soak at %s on %d CPUs, %s %s, load average %.2f",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                ProcessProbe.loadAverage());
        report.line("settings: " + settings);
        report.line("server jar: " + settings.jar());

        TestDatabase database = TestDatabase.create();
        long setupStart = System.nanoTime();
        try (ReplicaProcess a = ReplicaProcess.start("a", database, settings);
                Connection pg = DriverManager.getConnection(
                        database.jdbcUrl() + "?ApplicationName=dimmer-soak",
                        database.username(),
                        database.password())) {
            a.awaitReady(Duration.ofMinutes(5)); // A migrates the fresh database before B starts
            try (ReplicaProcess b = ReplicaProcess.start("b", database, settings)) {
                b.awaitReady(Duration.ofMinutes(5));
                report.line(
                        "replicas up after %.1f s: A pid %d port %d, B pid %d port %d (logs in %s)",
                        (System.nanoTime() - setupStart) / 1e9,
                        a.pid(),
                        a.port(),
                        b.pid(),
                        b.port(),
                        settings.output());
                soak(report, a, b, pg, databaseName(database.jdbcUrl()));
            }
        }
    }

    private void soak(SoakReport report, ReplicaProcess a, ReplicaProcess b, Connection pg, String databaseName)
            throws Exception {
        Api admin = Api.admin(a.port());
        String project = Fixtures.project(admin);
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < settings.flags(); i++) {
            String flag = "soak-" + i;
            Fixtures.flag(admin, project, flag);
            // Configured through both replicas, so neither meets the admin API cold during the soak.
            Api through = i % 2 == 0 ? admin : Api.admin(b.port());
            String path = "/api/v1/projects/" + project + "/environments/production/flags/" + flag;
            Fixtures.configure(through, project, "production", flag, FlagChanger.configuration(1000));
            expect(through.post(path + "/kill", null), 200);
            expect(through.post(path + "/restore", null), 200);
            flags.add(flag);
        }
        String sdkKey = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/environments/production/sdk-keys",
                                Map.of("name", "soak")),
                        201)
                .json()
                .get("key")
                .asString();

        ChangeLatencies latencies = new ChangeLatencies(settings.clients(), settings.maxChanges());
        long self = ProcessHandle.current().pid();
        int threadsBefore = ProcessProbe.threads(self);
        List<DimmerClient> clients = startClients(report, a, b, sdkKey, latencies);
        int threadsWithClients = ProcessProbe.threads(self);
        report.line(
                "load generator: %d threads before the clients, %d with %d clients streaming (%.2f per client),"
                        + " %d file descriptors",
                threadsBefore,
                threadsWithClients,
                clients.size(),
                (threadsWithClients - threadsBefore) / (double) clients.size(),
                ProcessProbe.openFileDescriptors(self));

        long base = clients.get(0).getTreatment(flags.get(0), "probe").changeNumber();
        latencies.base(base);
        FlagChanger changer = new FlagChanger(List.of(a.baseUrl(), b.baseUrl()), project, flags, sdkKey, latencies);
        EventDriver driver = new EventDriver(clients, flags, settings.eventsPerSecond());
        Sampler sampler = new Sampler(a, b, pg, databaseName, clients);
        List<Sample> samples = new ArrayList<>();
        long[] tickNanos = new long[settings.samples()];
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "soak-load");
            thread.setDaemon(true);
            return thread;
        });
        long t0;
        try {
            long start = System.nanoTime();
            load.scheduleAtFixedRate(
                    changer::changeOnce, 0, settings.changeEvery().toNanos(), TimeUnit.NANOSECONDS);
            load.scheduleAtFixedRate(driver::tick, 50, 1000 / EventDriver.TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
            // Samples fall half a change period after a change, so a forced GC starts between two changes.
            t0 = start + settings.warmup().toNanos() + settings.changeEvery().toNanos() / 2;
            report.line("warm-up " + settings.warmup() + ", then " + settings.samples() + " samples");
            for (int tick = 0; tick < settings.samples(); tick++) {
                tickNanos[tick] = t0 + tick * settings.sampleEvery().toNanos();
                parkUntil(tickNanos[tick]);
                long elapsedMillis = tick * settings.sampleEvery().toMillis();
                boolean forceGc = tick == 0
                        || tick == settings.samples() - 1
                        || (!settings.fullGcEvery().isZero()
                                && elapsedMillis % settings.fullGcEvery().toMillis() == 0);
                Sample sample = sampler.sample(t0, forceGc);
                samples.add(sample);
                report.progress(
                        sample,
                        tick >= 2 ? latencies.window(tickNanos[tick - 2], tickNanos[tick - 1]) : null,
                        changer.committed());
                if (changer.fatal() != null || !a.isAlive() || !b.isAlive()) {
                    break;
                }
            }
        } finally {
            load.shutdownNow();
            load.awaitTermination(30, TimeUnit.SECONDS);
        }

        // Every client must end on the last change: one that missed a change would never catch up.
        long last = latencies.changeNumberOf(changer.committed() - 1);
        long convergeStart = System.nanoTime();
        boolean converged = waitUntil(Duration.ofSeconds(60), () -> behind(latencies, clients.size(), last) == 0);
        report.line(
                "%d changes committed (change numbers %d..%d), %d admin calls failed or timed out%s;"
                        + " every client at %d: %s (%.1f s after the load stopped)",
                changer.committed(),
                base + 1,
                last,
                changer.failures(),
                changer.failures() == 0 ? "" : " (last: " + changer.lastFailure() + ")",
                last,
                converged ? "yes" : "NO, " + behind(latencies, clients.size(), last) + " behind",
                (System.nanoTime() - convergeStart) / 1e9);
        ClientStats totals = Sampler.totals(clients);

        closeClients(clients);
        boolean threadsReleased = waitUntil(Duration.ofSeconds(30), () -> {
            System.gc(); // the JDK HttpClient's selector thread ends once its client is unreachable
            return ProcessProbe.threads(self) <= threadsBefore + 10;
        });
        report.line(
                "after closing every client: %d threads in the load generator (%d before the clients): %s",
                ProcessProbe.threads(self), threadsBefore, threadsReleased ? "released" : "NOT released");

        // Every change has arrived now: fill in each sample's latency window and the per-minute table.
        List<Sample> complete = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            long from = i == 0 ? tickNanos[0] - settings.sampleEvery().toNanos() : tickNanos[i - 1];
            complete.add(samples.get(i).withLatency(latencies.window(from, tickNanos[i])));
        }
        long end = tickNanos[samples.size() - 1];
        ChangeLatencies.Window overall = latencies.window(t0, end);
        report.latencyTable(settings.clients(), perMinute(latencies, t0, end), overall);
        report.sdkTotals(totals, driver.tracked());
        report.startVsEnd(complete);
        List<GrowthCheck> checks = GrowthCheck.forSoak(complete);
        report.growth(checks);
        report.line("wrote %s and %s", report.csv(complete), report.plot(SoakPlot.render(settings, complete, overall)));

        assertThat(changer.fatal()).as("change numbers the soak cannot explain").isNull();
        assertThat(a.isAlive() && b.isAlive())
                .as("both replicas ran to the end")
                .isTrue();
        assertThat(samples).as("samples taken").hasSize(settings.samples());
        assertThat(converged).as("every client saw the last change").isTrue();
        assertThat(overall.unseen()).as("changes a client never saw").isZero();
        assertThat(threadsReleased).as("the clients' threads end on close").isTrue();
        assertThat(checks)
                .as(
                        "series that grew: %s",
                        checks.stream().filter(c -> !c.bounded()).toList())
                .allMatch(GrowthCheck::bounded);
    }

    /** Builds the clients (alternately on A and B) and starts them in waves, each waited for. */
    private List<DimmerClient> startClients(
            SoakReport report, ReplicaProcess a, ReplicaProcess b, String sdkKey, ChangeLatencies latencies)
            throws InterruptedException {
        long start = System.nanoTime();
        List<DimmerClient> clients = new ArrayList<>();
        for (int i = 0; i < settings.clients(); i++) {
            DimmerClient client = DimmerClient.builder(sdkKey)
                    .baseUrl((i % 2 == 0 ? a : b).baseUrl())
                    .closeTimeout(Duration.ofSeconds(2))
                    .instanceName("soak-" + i)
                    .build();
            int index = i;
            client.onConfigurationChanged(change ->
                    latencies.received(index, change.previousChangeNumber(), change.changeNumber(), System.nanoTime()));
            clients.add(client);
        }
        for (int from = 0; from < clients.size(); from += START_WAVE) {
            List<DimmerClient> wave = clients.subList(from, Math.min(clients.size(), from + START_WAVE));
            wave.forEach(DimmerClient::start);
            for (DimmerClient client : wave) {
                client.awaitReady(Duration.ofSeconds(60));
            }
        }
        // On (re)connecting its stream the SDK fetches once to catch up: a second fetch means the stream is open.
        boolean streaming = waitUntil(
                Duration.ofMinutes(2),
                () -> clients.stream().allMatch(c -> c.stats().snapshotFetches() >= 2));
        report.line(
                "%d clients ready and streaming: %s, after %.1f s; established connections to A %d, to B %d",
                clients.size(),
                streaming ? "yes" : "NO",
                (System.nanoTime() - start) / 1e9,
                ProcessProbe.establishedTo(a.port()),
                ProcessProbe.establishedTo(b.port()));
        assertThat(streaming)
                .as("every client's stream connected within 2 minutes")
                .isTrue();
        return clients;
    }

    private static int behind(ChangeLatencies latencies, int clients, long changeNumber) {
        int behind = 0;
        for (int c = 0; c < clients; c++) {
            behind += latencies.latestSeen(c) < changeNumber ? 1 : 0;
        }
        return behind;
    }

    /** Closes the clients a few at a time (each flushes within its 2 s close timeout). */
    private static void closeClients(List<DimmerClient> clients) throws InterruptedException {
        ExecutorService closing = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (DimmerClient client : clients) {
                tasks.add(() -> {
                    client.close();
                    return null;
                });
            }
            closing.invokeAll(tasks, 3, TimeUnit.MINUTES);
        } finally {
            closing.shutdownNow();
        }
    }

    private static List<ChangeLatencies.Window> perMinute(ChangeLatencies latencies, long t0, long end) {
        List<ChangeLatencies.Window> minutes = new ArrayList<>();
        long minute = TimeUnit.MINUTES.toNanos(1);
        for (long from = t0; end - from > 0; from += minute) {
            minutes.add(latencies.window(from, end - (from + minute) < 0 ? end : from + minute));
        }
        return minutes;
    }

    private static String databaseName(String jdbcUrl) {
        String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** Pacing, not waiting for a result: the load generator's clock. */
    private static void parkUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Polls {@code condition} every 100 ms for at most {@code timeout}. */
    private static boolean waitUntil(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
