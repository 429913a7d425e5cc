package dev.dimmer.server.rollout;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.eval.EvaluationResult;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synthetic users of a service that embeds the real Java SDK: each new user evaluates a flag (the SDK sends the
 * impression), then runs the flag-guarded code inside {@link DimmerClient#time} (the SDK sends {@code latency} and, when
 * it throws, {@code error} events), all through the real ingestion API. The SDK follows configuration changes by
 * streaming, as a service would. Bounded: each generator stops after {@code maxUsers} users or when closed.
 */
final class Traffic implements AutoCloseable {

    /** How the guarded code behaves for a treatment: how often it throws, and how long it spins first (µs). */
    record Behaviour(double errorRateOn, double errorRateOff, long spinMicrosOn, long spinMicrosOff) {

        static Behaviour healthy() {
            // The treatment is a little faster and never fails: no guardrail can be significantly worse.
            return new Behaviour(0, 0, 0, 30);
        }

        static Behaviour failing() {
            return new Behaviour(0.4, 0.02, 0, 0);
        }
    }

    private final DimmerClient client;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong users = new AtomicLong();

    Traffic(int port, String sdkKey) {
        client = DimmerClient.builder(sdkKey)
                .baseUrl("http://127.0.0.1:" + port)
                .flushInterval(Duration.ofMillis(100))
                .pollingInterval(Duration.ofSeconds(1))
                .impressionDedupe(Duration.ZERO, 10)
                .eventQueueSize(100_000)
                .impressionQueueSize(100_000)
                .build();
        client.start();
        client.awaitReady(Duration.ofSeconds(30));
    }

    DimmerClient client() {
        return client;
    }

    /**
     * Starts users {@code prefix-0}, {@code prefix-1}… of {@code flag}, {@code perRound} every 50 ms, plus {@code
     * regulars} (keys evaluated every round, e.g. the dev team), until {@code maxUsers}.
     */
    void start(String flag, String prefix, Behaviour behaviour, int perRound, int maxUsers, List<String> regulars) {
        Thread t = new Thread(
                () -> {
                    Random random = new Random(prefix.hashCode());
                    int next = 0;
                    while (!stop.get() && next < maxUsers) {
                        for (String regular : regulars) {
                            visit(flag, regular, behaviour, random);
                        }
                        for (int i = 0; i < perRound && next < maxUsers; i++) {
                            visit(flag, prefix + "-" + next++, behaviour, random);
                            users.incrementAndGet();
                        }
                        try {
                            Thread.sleep(50); // pacing of the synthetic service, not a wait in the test
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "traffic-" + prefix);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    private void visit(String flag, String key, Behaviour b, Random random) {
        EvaluationResult r = client.getTreatment(flag, key);
        boolean on = "on".equals(r.treatment());
        double errorRate = on ? b.errorRateOn() : b.errorRateOff();
        long spin = (on ? b.spinMicrosOn() : b.spinMicrosOff()) * 1000;
        boolean fails = random.nextDouble() < errorRate;
        try {
            client.time(key, "checkout", () -> {
                long until = System.nanoTime() + spin;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (fails) {
                    throw new IllegalStateException("payment failed");
                }
            });
        } catch (IllegalStateException expected) {
            // the synthetic service's failure, recorded by time()
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        client.close();
    }
}
