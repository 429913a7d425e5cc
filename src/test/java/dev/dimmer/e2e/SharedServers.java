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
            replicaA = DimmerServer.start(database());
        }
        return replicaA;
    }

    /** Replica B: a second server on A's database, for SDKs that must see A's changes. */
    static synchronized DimmerServer replicaB() {
        if (replicaB == null) {
            replicaA(); // A runs the migrations first
            replicaB = DimmerServer.start(database());
        }
        return replicaB;
    }
}
