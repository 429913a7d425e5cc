package dev.dimmer.e2e;

import dev.dimmer.server.testsupport.TestDatabase;

/**
 * The replicas that test classes share, started on first use and stopped when the JVM exits
 * (Spring's shutdown hook): starting a server costs seconds on this machine, so the suite starts
 * each at most once. Every test creates its own project, so sharing never couples tests.
 */
final class SharedServers {

    private static TestDatabase database;
    private static DimmerServer replicaA;
    private static DimmerServer replicaB;

    /**
     * What the console's browser test needs of the shared replicas: an analysis cycle every few seconds (so an SRM alert
     * opens while the browser waits, by the real job and not a faked result), and a webhook receiver on loopback
     * (channel URLs on the server's own host are refused unless the operator allows them).
     */
    private static final String[] ARGS = {
        "--dimmer.analysis.interval=PT5S",
        "--dimmer.analysis.settle=PT0S",
        "--dimmer.notifications.allow-addresses=127.0.0.1/32"
    };

    private SharedServers() {}

    static synchronized TestDatabase database() {
        if (database == null) {
            database = TestDatabase.create();
        }
        return database;
    }

    /** Replica A: the one tests send admin changes to. */
    static synchronized DimmerServer replicaA() {
        if (replicaA == null) {
            replicaA = DimmerServer.start(database(), ARGS);
        }
        return replicaA;
    }

    /** Replica B: a second server on A's database, for SDKs that must see A's changes. */
    static synchronized DimmerServer replicaB() {
        if (replicaB == null) {
            replicaA(); // A runs the migrations first
            replicaB = DimmerServer.start(database(), ARGS);
        }
        return replicaB;
    }
}
