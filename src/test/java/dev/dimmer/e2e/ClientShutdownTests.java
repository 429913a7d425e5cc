package dev.dimmer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.ClientState;
import dev.dimmer.sdk.DimmerClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} stops every thread the SDK started, against a real server. Other replicas in
 * this JVM start and stop threads of their own meanwhile, so the check compares sets: no thread
 * that was not alive before the client started may be alive after it closed (and the total is
 * not above the baseline). JDK 17's HttpClient has no {@code close()}: its selector thread ends
 * only once the client is garbage and has no exchange left, so the checks GC while waiting.
 */
class ClientShutdownTests {

    static DimmerServer server;
    static Scenario scenario;

    @BeforeAll
    static void startServer() {
        server = SharedServers.replicaA();
        scenario = Scenario.create(server, "threads");
    }

    @Test
    void closeStopsEveryDimmerThread_withAStreamOpen() throws Exception {
        DimmerClient client = started(true);
        assertThat(dimmerThreads()).isNotEmpty();
        client.close();
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(dimmerThreads()).as("no dimmer-sdk thread survives close()").isEmpty();
    }

    @Test
    void closeReturnsTheThreadCountToItsBaseline_whenPolling() throws Exception {
        assertBackToBaselineAfterClose(false);
    }

    @Test
    void closeReturnsTheThreadCountToItsBaseline_withAStreamOpen() throws Exception {
        assertBackToBaselineAfterClose(true);
    }

    private static void assertBackToBaselineAfterClose(boolean streaming) throws Exception {
        // One full cycle first: the server's own pools grow on the first SDK connection and stay.
        started(streaming).close();
        assertThat(Awaiting.until(Duration.ofSeconds(5), () -> dimmerThreads().isEmpty()))
                .isTrue();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Set<Thread> before = live(ClientShutdownTests::counted);
        int baseline = before.size();

        DimmerClient client = started(streaming);
        client.getTreatment("threads", "user-1");
        client.track("user-1", "purchase");
        assertThat(dimmerThreads()).isNotEmpty();
        client.close();
        assertThat(dimmerThreads()).as("no dimmer-sdk thread survives close()").isEmpty();
        client = null;

        boolean back = Awaiting.until(Duration.ofSeconds(15), () -> {
            System.gc();
            return newThreads(before).isEmpty()
                    && live(ClientShutdownTests::counted).size() <= baseline;
        });
        assertThat(back)
                .as(
                        "threads started since the baseline still alive: %s; count %d, baseline %d",
                        newThreads(before), live(ClientShutdownTests::counted).size(), baseline)
                .isTrue();
    }

    private static DimmerClient started(boolean streaming) throws InterruptedException {
        DimmerClient client =
                Scenario.client(server, scenario.sdkKey()).streaming(streaming).build();
        client.start();
        client.awaitReady(Duration.ofSeconds(10));
        if (streaming) {
            Awaiting.streamConnected(client);
        }
        return client;
    }

    /**
     * Every thread except the in-process servers' request workers ({@code http-nio-*}) and SSE
     * senders ({@code dimmer-sse-*}): server pools that grow and shrink on their own schedule.
     */
    private static boolean counted(Thread thread) {
        String name = thread.getName();
        return !name.startsWith("http-nio-") && !name.startsWith("dimmer-sse-");
    }

    static List<String> dimmerThreads() {
        return live(t -> t.getName().startsWith("dimmer-sdk")).stream()
                .map(Thread::getName)
                .sorted()
                .toList();
    }

    static Set<Thread> live(Predicate<Thread> which) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(which)
                .collect(Collectors.toSet());
    }

    static List<String> newThreads(Set<Thread> before) {
        return live(ClientShutdownTests::counted).stream()
                .filter(t -> !before.contains(t))
                .map(Thread::getName)
                .sorted()
                .toList();
    }
}
