package dev.dimmer.e2e;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.ClientState;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One of two replicas of the server jar is killed with SIGKILL in the middle of a run — SDKs connected, events flowing,
 * a rollout plan ramping, notifications going out — and restarted, as a supervisor would:
 *
 * <ul>
 *   <li>an SDK behind the load balancer fails over to the live replica (it sees a change made there);
 *   <li>an SDK pinned to the dead replica keeps answering from its snapshot, keeps its events, and delivers them once
 *       the replica is back;
 *   <li>nothing is lost or stored twice: PostgreSQL holds exactly the events and impressions the SDKs recorded (a batch
 *       whose answer the kill cut off is resent with its id, and the server does not store it again);
 *   <li>the live replica takes over the jobs: analysis, the plan's next step, and its notification.
 * </ul>
 */
class ReplicaCrashTests {

    @Test
    void aReplicaKilledMidRun_sdksFailOverOrAnswerFromTheirSnapshot_nothingIsLost_theOtherReplicaTakesOverTheJobs()
            throws Exception {
        ServerProcess a = JarReplicas.a();
        ServerProcess b = JarReplicas.b();
        TestDatabase database = JarReplicas.database();
        Api admin = a.admin();
        String project = Fixtures.project(admin);
        String sdkKey = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/environments/production/sdk-keys",
                                Map.of("name", "crash")),
                        201)
                .json()
                .get("key")
                .asString();
        WebhookReceiver receiver = new WebhookReceiver();
        expect(admin.post("/api/v1/projects/" + project + "/teams", Map.of("key", "checkout")), 201);
        String secret = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/teams/checkout/channels",
                                Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/crash"))),
                        201)
                .json()
                .get("secret")
                .asString();
        receiver.secret("/crash", secret);
        Fixtures.flag(admin, project, "steady");
        Fixtures.configure(admin, project, "production", "steady", Scenario.dogfoodThenSplit(5000));
        Fixtures.flag(admin, project, "ramp");
        String plan = "/api/v1/projects/" + project + "/environments/production/flags/ramp/plan";
        expect(
                admin.put(
                        plan,
                        Map.of(
                                "onBreach",
                                "ROLLBACK",
                                "stages",
                                List.of(
                                        stage(1000, "PT1S", 40),
                                        // long enough for the kill to fall inside it
                                        stage(2500, "PT20S", 60),
                                        stage(5000, "PT1S", 80),
                                        stage(10_000, "PT0S", 0)))),
                201);

        try (Balancer balancer = new Balancer(List.of(a.port(), b.port()));
                DimmerClient viaBalancer = client(sdkKey, balancer.baseUrl(), "via-balancer");
                DimmerClient pinnedToA = client(sdkKey, a.baseUrl(), "pinned-to-a")) {
            viaBalancer.start();
            pinnedToA.start();
            viaBalancer.awaitReady(Duration.ofSeconds(30));
            pinnedToA.awaitReady(Duration.ofSeconds(30));
            expect(admin.post(plan + "/start", null), 200);

            Users users = new Users(List.of(viaBalancer, pinnedToA));
            users.start();
            try {
                // Mid-run: the plan has moved on once, events arrive through both SDKs.
                assertThat(Awaiting.until(
                                Duration.ofSeconds(120),
                                ItsMeScenario.POLL,
                                () -> stage(admin, plan) >= 1
                                        && viaBalancer.stats().eventsSent() > 100
                                        && pinnedToA.stats().eventsSent() > 100))
                        .as("the run is under way: plan %s", get(admin, plan).get("statusReason"))
                        .isTrue();
                List<String> keys = new ArrayList<>(java.util.stream.IntStream.range(0, 12)
                        .mapToObj(i -> "probe-" + i)
                        .toList());
                keys.add("dev");
                List<EvaluationResult> before = evaluate(pinnedToA, keys);
                String offKey = keys.stream()
                        .filter(k ->
                                "off".equals(pinnedToA.getTreatment("steady", k).treatment()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("one of " + keys + " gets 'off' at 50 %"));

                Instant killedAt = Instant.now();
                a.kill();

                // The SDK pinned to the dead replica answers as before, from its snapshot.
                assertThat(evaluate(pinnedToA, keys)).isEqualTo(before);
                // The one behind the balancer fails over: it sees a change made on B while A is dead.
                Fixtures.configure(b.admin(), project, "production", "steady", Scenario.dogfoodThenSplit(10_000));
                assertThat(Awaiting.until(
                                Duration.ofSeconds(30),
                                () -> "on"
                                        .equals(viaBalancer
                                                .getTreatment("steady", offKey)
                                                .treatment())))
                        .as("the balanced SDK follows replica B: %s", viaBalancer.stats())
                        .isTrue();
                assertThat(evaluate(pinnedToA, keys))
                        .as("the pinned SDK cannot know yet")
                        .isEqualTo(before);
                assertThat(pinnedToA.state()).isIn(ClientState.READY, ClientState.STALE);

                // Replica B takes over the jobs: the next analysis, the plan's next step and its notification.
                Api adminB = b.admin();
                assertThat(Awaiting.until(
                                Duration.ofSeconds(120),
                                ItsMeScenario.POLL,
                                () -> transitionsAfter(adminB, plan, killedAt) > 0))
                        .as(
                                "the plan moves on after the kill: %s",
                                get(adminB, plan).get("statusReason"))
                        .isTrue();
                JsonNode report = expect(
                                adminB.get(
                                        "/api/v1/projects/" + project + "/environments/production/flags/ramp/report"),
                                200)
                        .json();
                assertThat(Instant.parse(report.get("computedAt").asString())).isAfter(killedAt);
                assertThat(Awaiting.until(
                                Duration.ofSeconds(60),
                                ItsMeScenario.POLL,
                                () -> sentByAfter(adminB, project, b, killedAt)))
                        .as("a plan notification sent by replica B (pid %s) after the kill", b.pid())
                        .isTrue();
                assertThat(a.isAlive()).as("all of this with A dead").isFalse();

                // A comes back (as a supervisor restarts it): the pinned SDK catches up and delivers what it kept.
                a.restart().awaitReady();
                assertThat(Awaiting.until(
                                Duration.ofSeconds(60),
                                () -> "on"
                                        .equals(pinnedToA
                                                .getTreatment("steady", offKey)
                                                .treatment())))
                        .as("the pinned SDK catches up with the change made while A was dead")
                        .isTrue();
            } finally {
                users.stop();
            }
            assertThat(Awaiting.until(
                            Duration.ofSeconds(120),
                            () -> ItsMeScenario.drained(viaBalancer) && ItsMeScenario.drained(pinnedToA)))
                    .as("everything queued is sent: %s / %s", viaBalancer.stats(), pinnedToA.stats())
                    .isTrue();
            for (DimmerClient c : List.of(viaBalancer, pinnedToA)) {
                assertThat(c.stats().eventsDropped()).as("%s", c.stats()).isZero();
                assertThat(c.stats().impressionsDropped()).as("%s", c.stats()).isZero();
            }
            long tracked = users.tracked.get();
            long impressions =
                    viaBalancer.stats().impressionsSent() + pinnedToA.stats().impressionsSent();
            assertThat(Rows.events(database.jdbcUrl(), database.username(), database.password(), project, "production"))
                    .as("every event the SDKs recorded is stored, once")
                    .isEqualTo(tracked);
            assertThat(Rows.impressions(
                            database.jdbcUrl(), database.username(), database.password(), project, "production"))
                    .as("every impression the SDKs recorded is stored, once")
                    .isEqualTo(impressions);
            System.out.println("replica crash: " + tracked + " events and " + impressions + " impressions stored once;"
                    + " via balancer " + viaBalancer.stats() + "; pinned to A " + pinnedToA.stats());
        } finally {
            receiver.close();
            JarReplicas.ensureStarted(); // leave both replicas running for the next test
        }
    }

    /** Users of a service evaluating the two flags through the SDKs in turn, each tracking one event, until stopped. */
    static final class Users {

        private final List<DimmerClient> clients;
        private final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong tracked = new AtomicLong();
        private Thread thread;

        Users(List<DimmerClient> clients) {
            this.clients = clients;
        }

        void start() {
            thread = new Thread(
                    () -> {
                        int i = 0;
                        while (!stop.get() && i < 50_000) {
                            for (int k = 0; k < 2; k++, i++) {
                                DimmerClient c = clients.get(i % clients.size());
                                String key = "user-" + i;
                                c.getTreatment("steady", key, ServerOutageTests.attributesOf(key));
                                c.getTreatment("ramp", key);
                                if (c.track(key, "purchase", 1.0, Map.of())) {
                                    tracked.incrementAndGet();
                                }
                            }
                            try {
                                Thread.sleep(25); // the service's pace, not a test wait
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "crash-users");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
            clients.forEach(DimmerClient::flush);
        }
    }

    static DimmerClient client(String sdkKey, String baseUrl, String name) {
        return DimmerClient.builder(sdkKey)
                .baseUrl(baseUrl)
                .instanceName(name)
                .pollingInterval(Duration.ofSeconds(1))
                .streamReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .flushInterval(Duration.ofMillis(100))
                // A replica restart on this machine takes up to a minute; the default (5 attempts, about 8 s of
                // backoff: DimmerClient.Builder#retries) would give a batch up before the replica is back.
                .retries(30, Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(10))
                .build();
    }

    static Map<String, Object> stage(int weight, String minDuration, long minSamplePerArm) {
        return Map.of("weight", weight, "minDuration", minDuration, "minSamplePerArm", minSamplePerArm);
    }

    static List<EvaluationResult> evaluate(DimmerClient client, List<String> keys) {
        List<EvaluationResult> results = new ArrayList<>();
        for (String key : keys) {
            results.add(client.getTreatment(
                    "steady", key, key.equals("dev") ? Map.of("email", "dev@example.com") : Map.of()));
        }
        return results;
    }

    static JsonNode get(Api admin, String plan) {
        return expect(admin.get(plan), 200).json();
    }

    static int stage(Api admin, String plan) {
        return get(admin, plan).get("currentStage").asInt();
    }

    static long transitionsAfter(Api admin, String plan, Instant after) {
        long n = 0;
        for (JsonNode t : get(admin, plan).get("transitions")) {
            if (Instant.parse(t.get("at").asString()).isAfter(after)
                    && t.get("actor").asString().startsWith("plan:")) {
                n++;
            }
        }
        return n;
    }

    /** Whether a notification was delivered by replica {@code b}'s worker after {@code after}. */
    static boolean sentByAfter(Api admin, String project, ServerProcess b, Instant after) {
        JsonNode list = expect(admin.get("/api/v1/projects/" + project + "/notifications"), 200)
                .json();
        for (JsonNode n : list) {
            JsonNode detail = expect(admin.get("/api/v1/projects/" + project + "/notifications/" + n.get("id")), 200)
                    .json();
            for (JsonNode d : detail.get("deliveries")) {
                if (Instant.parse(d.get("at").asString()).isAfter(after)
                        && d.get("worker").asString().startsWith(b.pid() + "@")
                        && d.get("statusCode") != null
                        && d.get("statusCode").asInt() == 200) {
                    return true;
                }
            }
        }
        return false;
    }
}
