package dev.dimmer.e2e;

import dev.dimmer.server.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.List;

/**
 * Two replicas of the server jar ({@link ServerProcess}) on one fresh PostgreSQL database, with time compressed by
 * configuration ({@link #COMPRESSED}), started once per test JVM and shared by the test classes that need them
 * (every test makes its own project). A test that kills a replica restarts it before it ends.
 */
final class JarReplicas {

    /**
     * Production's intervals, shortened. Nothing else changes: the statistics, gates and thresholds are the real ones.
     *
     * <ul>
     *   <li>analysis every 2 s instead of 5 min (and a run within 1 s of new data is recomputed once more: 1 min);
     *   <li>rollout plans checked every 0.5 s instead of 30 s, scheduled changes likewise (15 s);
     *   <li>notifications: the worker every 0.2 s instead of 5 s; retry backoff from 50 ms (10 s) doubling to at most
     *       18 s (1 h), i.e. one hour of receiver outage is 18 s here ({@link #HOUR}).
     * </ul>
     */
    static final List<String> COMPRESSED = List.of(
            "--dimmer.analysis.interval=PT2S",
            "--dimmer.analysis.settle=PT1S",
            "--dimmer.rollout.interval=PT0.5S",
            "--dimmer.schedules.interval=PT0.5S",
            "--dimmer.notifications.interval=PT0.2S",
            "--dimmer.notifications.initial-backoff=PT0.05S",
            "--dimmer.notifications.max-backoff=PT18S",
            "--dimmer.notifications.timeout=PT2S");

    /** One hour of production time under {@link #COMPRESSED} notification backoff (1/200). */
    static final java.time.Duration HOUR = java.time.Duration.ofSeconds(18);

    private static TestDatabase database;
    private static ServerProcess replicaA;
    private static ServerProcess replicaB;

    private static boolean hooked;

    private JarReplicas() {}

    /** Child processes must not outlive the test JVM. */
    private static synchronized void ensureHook() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(JarReplicas::killAll, "jar-replicas-stop"));
            hooked = true;
        }
    }

    /** Starts both replicas (at once: only A creates the admin token) and waits until both are ready. */
    static synchronized void ensureStarted() throws InterruptedException {
        if (replicaA != null && replicaA.isAlive() && replicaB.isAlive()) {
            return;
        }
        ensureHook();
        if (database == null) {
            database = TestDatabase.create();
        }
        List<ServerProcess> starting = new ArrayList<>();
        if (replicaA == null || !replicaA.isAlive()) {
            replicaA = replicaA == null
                    ? ServerProcess.launch("replica-a", database, true, COMPRESSED.toArray(String[]::new))
                    : replicaA.restart();
            starting.add(replicaA);
        }
        if (replicaB == null || !replicaB.isAlive()) {
            replicaB = replicaB == null
                    ? ServerProcess.launch("replica-b", database, false, COMPRESSED.toArray(String[]::new))
                    : replicaB.restart();
            starting.add(replicaB);
        }
        for (ServerProcess s : starting) {
            s.awaitReady();
        }
    }

    static ServerProcess a() throws InterruptedException {
        ensureStarted();
        return replicaA;
    }

    static ServerProcess b() throws InterruptedException {
        ensureStarted();
        return replicaB;
    }

    static TestDatabase database() throws InterruptedException {
        ensureStarted();
        return database;
    }

    /**
     * A pair of its own on a fresh database, for a run that must not share the shared pair's history (each seed of
     * the "It's me" profile: analysis reads every event of the time window, so earlier runs' data would slow later
     * ones). {@link #close()} kills both; the database is dropped when the JVM exits.
     */
    static List<ServerProcess> freshPair(String prefix) throws InterruptedException {
        ensureHook();
        TestDatabase fresh = TestDatabase.create();
        ServerProcess a = ServerProcess.launch(prefix + "-a", fresh, true, COMPRESSED.toArray(String[]::new));
        ServerProcess b = ServerProcess.launch(prefix + "-b", fresh, false, COMPRESSED.toArray(String[]::new));
        FRESH.add(a);
        FRESH.add(b);
        try {
            a.awaitReady();
            b.awaitReady();
        } catch (InterruptedException | RuntimeException | Error e) {
            a.close();
            b.close();
            throw e;
        }
        return List.of(a, b);
    }

    private static final List<ServerProcess> FRESH = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static synchronized void killAll() {
        for (ServerProcess s : FRESH) {
            try {
                s.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ServerProcess s : new ServerProcess[] {replicaA, replicaB}) {
            if (s != null) {
                try {
                    s.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
