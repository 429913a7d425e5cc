package dev.dimmer.e2e.soak;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each client saw each flag change. Change slot k (from 0) is change number {@code base + k
 * + 1}: the soak is the only writer of its environment, and every committed admin write bumps the
 * change number by exactly one ({@link FlagChanger} checks the change number after a failed call,
 * so slots stay aligned). A client's latency for a change is from just before the admin request
 * was sent until the client's {@code onConfigurationChanged} listener ran with that change number
 * or a later one (a client that got two changes in one snapshot saw both then).
 *
 * <p>Listeners store only the time they ran; latencies are computed afterwards, so a listener that
 * runs before the admin call has even returned is still counted right. Fixed-size arrays
 * allocated up front ({@code changes x clients} longs), written lock-free by the clients' own
 * threads: nothing grows during the run.
 */
final class ChangeLatencies {

    /** One window's numbers. Latencies in nanoseconds; -1 when the window had no change. */
    record Window(
            int changes,
            long seen,
            long unseen,
            long p50,
            long p95,
            long p99,
            long max,
            long allClientsP50,
            long allClientsMax,
            long adminP50,
            long adminP99) {}

    private final int clients;
    private final int capacity;
    private final AtomicLongArray sentAt;
    private final AtomicLongArray adminNanos;
    private final AtomicLongArray receivedAt; // [slot * clients + client], nanoTime; 0 = not seen yet
    private final AtomicLongArray latestSeen; // per client, the newest change number seen
    private volatile long base = Long.MAX_VALUE; // no change counts until the base is known

    ChangeLatencies(int clients, int capacity) {
        this.clients = clients;
        this.capacity = capacity;
        this.sentAt = new AtomicLongArray(capacity);
        this.adminNanos = new AtomicLongArray(capacity);
        this.receivedAt = new AtomicLongArray(capacity * clients);
        this.latestSeen = new AtomicLongArray(clients);
    }

    int capacity() {
        return capacity;
    }

    /** The environment's change number before the first measured-or-warm-up change. */
    void base(long changeNumber) {
        base = changeNumber;
    }

    long base() {
        return base;
    }

    long changeNumberOf(int slot) {
        return base + slot + 1;
    }

    /** Just before the admin call meant to become change {@code slot} is sent. */
    void sending(int slot, long nanos) {
        sentAt.set(slot, nanos);
        adminNanos.set(slot, 0);
    }

    void adminCallTook(int slot, long nanos) {
        adminNanos.set(slot, nanos);
    }

    /** A client's listener: it now has every change up to {@code changeNumber}. */
    void received(int client, long previousChangeNumber, long changeNumber, long nanos) {
        latestSeen.accumulateAndGet(client, changeNumber, Math::max);
        long from = Math.max(previousChangeNumber, base) + 1;
        for (long n = from; n <= changeNumber; n++) {
            long slot = n - base - 1;
            if (slot >= 0 && slot < capacity) {
                receivedAt.compareAndSet((int) slot * clients + client, 0, nanos);
            }
        }
    }

    long latestSeen(int client) {
        return latestSeen.get(client);
    }

    /** The changes sent in {@code [fromNanos, toNanos)}, over every client. */
    Window window(long fromNanos, long toNanos) {
        int changes = 0;
        long unseen = 0;
        long[] all = new long[0];
        int count = 0;
        long[] lastClient = new long[capacity];
        long[] admin = new long[capacity];
        for (int c = 0; c < capacity; c++) {
            long sent = sentAt.get(c);
            if (sent == 0 || sent - fromNanos < 0 || sent - toNanos >= 0) {
                continue;
            }
            admin[changes] = adminNanos.get(c);
            long slowest = 0;
            for (int client = 0; client < clients; client++) {
                long received = receivedAt.get(c * clients + client);
                if (received == 0) {
                    unseen++;
                    continue;
                }
                long l = Math.max(1, received - sent);
                if (count == all.length) {
                    all = Arrays.copyOf(all, Math.max(1024, all.length * 2));
                }
                all[count++] = l;
                slowest = Math.max(slowest, l);
            }
            lastClient[changes] = slowest;
            changes++;
        }
        if (changes == 0) {
            return new Window(0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1);
        }
        long[] seen = Arrays.copyOf(all, count);
        long[] slowestPerChange = Arrays.copyOf(lastClient, changes);
        long[] adminCalls = Arrays.copyOf(admin, changes);
        return new Window(
                changes,
                count,
                unseen,
                percentile(seen, 0.50),
                percentile(seen, 0.95),
                percentile(seen, 0.99),
                percentile(seen, 1.0),
                percentile(slowestPerChange, 0.50),
                percentile(slowestPerChange, 1.0),
                percentile(adminCalls, 0.50),
                percentile(adminCalls, 0.99));
    }

    /** The {@code q}-quantile (nearest rank); sorts {@code values}; -1 when empty. */
    static long percentile(long[] values, double q) {
        if (values.length == 0) {
            return -1;
        }
        Arrays.sort(values);
        int rank = (int) Math.ceil(q * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }
}
