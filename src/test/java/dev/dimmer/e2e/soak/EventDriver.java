package dev.dimmer.e2e.soak;

import dev.dimmer.sdk.DimmerClient;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A steady stream of what services do with the SDK: evaluate a flag for a user, then track an
 * event for that user ({@code track()} queues it; each client's own sender posts batches). Called
 * every 100 ms by one thread; the calls are spread round-robin over all clients, users drawn from
 * a fixed population, one in ten a dogfooder (served by the targeting rule).
 */
final class EventDriver {

    static final int TICKS_PER_SECOND = 10;
    private static final int USERS = 20_000;

    private final List<DimmerClient> clients;
    private final List<String> flags;
    private final double perTick;
    private final SplittableRandom random = new SplittableRandom(42);
    private double carry;
    private int cursor;
    private long tracked;

    EventDriver(List<DimmerClient> clients, List<String> flags, int eventsPerSecond) {
        this.clients = List.copyOf(clients);
        this.flags = List.copyOf(flags);
        this.perTick = eventsPerSecond / (double) TICKS_PER_SECOND;
    }

    void tick() {
        carry += perTick;
        int n = (int) carry;
        carry -= n;
        for (int i = 0; i < n; i++) {
            DimmerClient client = clients.get(cursor);
            cursor = (cursor + 1) % clients.size();
            int user = random.nextInt(USERS);
            String key = "user-" + user;
            String email = key + (user % 10 == 0 ? "@example.com" : "@soak.test");
            client.getTreatment(flags.get(random.nextInt(flags.size())), key, Map.of("email", email));
            client.track(key, "checkout", 10.0 + random.nextInt(90), Map.of());
            tracked++;
        }
    }

    /** Read after the driver's thread has stopped. */
    long tracked() {
        return tracked;
    }
}
