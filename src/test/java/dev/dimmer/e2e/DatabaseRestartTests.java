package dev.dimmer.e2e;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.Timing;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL is restarted — stopped the way an administrator does ({@code pg_ctl stop -m fast}: every session
 * terminated) and started again — while SDKs and a raw client send events and while an analysis run is in progress.
 * It is a private cluster of this test ({@link PrivatePostgres}), not the shared one; the server is the jar.
 *
 * <p>A TCP proxy cut (server/…/availability/DatabaseOutageTests) shows a network partition; a real restart also makes
 * PostgreSQL end sessions itself with SQLSTATE 57P01 in the middle of statements and refuse connections while it
 * starts (57P03), which is what this test adds.
 */
class DatabaseRestartTests {

    static final int FLAGS = 5;
    static final int PROBE_BATCH = 20;

    @Test
    void
            postgresRestartedDuringIngestionAndAnAnalysisRun_503WithRetryAfterNever500_nothingAcknowledgedLost_theRunCompletesNextCycle()
                    throws Exception {
        Assumptions.assumeTrue(
                PrivatePostgres.binaries().isPresent(),
                "needs PostgreSQL's initdb and pg_ctl (/usr/lib/postgresql/<v>/bin or -Ddimmer.test.pgBin)");
        try (PrivatePostgres pg = PrivatePostgres.start()) {
            String url = pg.createDatabase("dimmer");
            List<String> args = new ArrayList<>(JarReplicas.COMPRESSED);
            args.add("--dimmer.database.retry-after-seconds=1");
            try (ServerProcess server =
                    ServerProcess.launch("pg-restart", url, "postgres", "", true, args.toArray(String[]::new))) {
                server.awaitReady();
                run(pg, url, server);
            }
        }
    }

    private void run(PrivatePostgres pg, String url, ServerProcess server) throws Exception {
        Api admin = server.admin();
        String project = Fixtures.project(admin);
        String sdkKey = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/environments/production/sdk-keys",
                                Map.of("name", "restart")),
                        201)
                .json()
                .get("key")
                .asString();
        expect(
                admin.post(
                        "/api/v1/projects/" + project + "/metrics",
                        Map.of(
                                "key", "latency",
                                "name", "Latency",
                                "eventType", Timing.LATENCY_EVENT,
                                "aggregation", "AVERAGE",
                                "direction", "DECREASE",
                                "guardrail", true,
                                "margin", 0.05)),
                201);
        List<String> flags = new ArrayList<>();
        for (int f = 0; f < FLAGS; f++) {
            String flag = "flag-" + f;
            flags.add(flag);
            Fixtures.flag(admin, project, flag);
            Fixtures.configure(admin, project, "production", flag, Scenario.dogfoodThenSplit(5000));
        }

        try (DimmerClient sdk = DimmerClient.builder(sdkKey)
                .baseUrl(server.baseUrl())
                .flushInterval(Duration.ofMillis(100))
                .closeTimeout(Duration.ofSeconds(10))
                .build()) {
            sdk.start();
            sdk.awaitReady(Duration.ofSeconds(30));
            Traffic traffic = new Traffic(sdk, flags, new Probe(server.baseUrl(), sdkKey));
            traffic.start();
            Instant stoppedAt;
            Instant restartedAt;
            long logMark;
            try {
                // Enough users that an analysis run takes a while, then wait for one to be in progress.
                assertThat(Awaiting.until(
                                Duration.ofSeconds(120),
                                ItsMeScenario.POLL,
                                () -> traffic.users.get() >= 2000
                                        && reportExists(admin, project, flags.get(FLAGS - 1))))
                        .as("traffic and a first report")
                        .isTrue();
                long throttledBefore = sdk.stats().batchesThrottled();
                assertThat(Awaiting.until(Duration.ofSeconds(120), () -> analysisRunInProgress(url)))
                        .as("an analysis run holds its lock")
                        .isTrue();
                logMark = server.logText().length();
                stoppedAt = Instant.now();
                pg.stopServer();
                int probeRefusalsBefore = traffic.probe.refusals();
                // Down until ingestion has said so to the raw client and to the SDK (503 + Retry-After), then back.
                assertThat(Awaiting.until(
                                Duration.ofSeconds(60),
                                () -> traffic.probe.refusals() > probeRefusalsBefore
                                        && sdk.stats().batchesThrottled() > throttledBefore))
                        .as(
                                "ingestion answers 'not now' while PostgreSQL is down: probe %s, SDK %s",
                                traffic.probe.statuses, sdk.stats())
                        .isTrue();
                pg.startServer();
                restartedAt = Instant.now();
                long ackedAtRestart = traffic.probe.acknowledged.get();
                assertThat(Awaiting.until(
                                Duration.ofSeconds(60), () -> traffic.probe.acknowledged.get() >= ackedAtRestart + 10))
                        .as("ingestion accepts batches again")
                        .isTrue();
            } finally {
                traffic.stop();
            }
            sdk.flush();
            assertThat(Awaiting.until(
                            Duration.ofSeconds(120), () -> ItsMeScenario.drained(sdk) && traffic.probe.idle()))
                    .as("everything sent: %s", sdk.stats())
                    .isTrue();

            // 503/429 with Retry-After, never 500: as the raw client saw it, and as the server counted every answer.
            Map<Integer, Long> statuses = traffic.probe.statuses;
            assertThat(statuses.keySet()).as("probe statuses %s", statuses).isSubsetOf(202, 429, 503);
            assertThat(traffic.probe.withoutRetryAfter.get())
                    .as("503/429 answers without Retry-After")
                    .isZero();
            List<String> fiveHundreds = serverErrorCounts(admin);
            assertThat(fiveHundreds)
                    .as("5xx answers other than 503, counted by the server")
                    .isEmpty();

            // Nothing acknowledged is lost; nothing is stored twice.
            long probeEvents = Rows.count(
                    url,
                    "postgres",
                    "",
                    "SELECT count(*) FROM events WHERE key LIKE 'probe-%' AND environment_id = (SELECT e.id FROM"
                            + " environments e JOIN projects p ON p.id = e.project_id WHERE p.key = ? AND e.key ="
                            + " 'production')",
                    project);
            assertThat(probeEvents)
                    .as("every batch acknowledged to the raw client, each once")
                    .isEqualTo(traffic.probe.acknowledged.get() * PROBE_BATCH);
            assertThat(sdk.stats().eventsDropped()).as("%s", sdk.stats()).isZero();
            assertThat(Rows.events(url, "postgres", "", project, "production") - probeEvents)
                    .as("every event the SDK recorded (it waited and resent), each once")
                    .isEqualTo(sdk.stats().eventsQueued());
            assertThat(Rows.impressions(url, "postgres", "", project, "production"))
                    .isEqualTo(sdk.stats().impressionsQueued() - sdk.stats().impressionsDropped());

            // The analysis run that PostgreSQL cut off failed and said so; the next cycle ran, and its reports count
            // every user.
            String log = server.logText().substring((int) logMark);
            assertThat(log).as("the interrupted analysis run").containsPattern("analysis (run|of flag .*) failed");
            for (String flag : flags) {
                long exposed = Rows.count(
                        url,
                        "postgres",
                        "",
                        "SELECT count(DISTINCT key) FROM impressions WHERE flag = ? AND environment_id = (SELECT e.id"
                                + " FROM environments e JOIN projects p ON p.id = e.project_id WHERE p.key = ? AND"
                                + " e.key = 'production')",
                        flag,
                        project);
                assertThat(Awaiting.until(
                                Duration.ofSeconds(120),
                                ItsMeScenario.POLL,
                                () -> Instant.parse(report(admin, project, flag)
                                                        .get("computedAt")
                                                        .asString())
                                                .isAfter(restartedAt)
                                        && usersIn(report(admin, project, flag)) == exposed))
                        .as(
                                "a scheduled report of %s after the restart counting its %d users: %s",
                                flag, exposed, report(admin, project, flag).get("arms"))
                        .isTrue();
            }
            assertThat(server.logText().substring((int) logMark))
                    .as("a whole analysis cycle after the restart")
                    .containsPattern("analysis: \\d+ flags analysed, \\d+ unchanged, 0 failed");
            System.out.println("PostgreSQL restart: down "
                    + Duration.between(stoppedAt, restartedAt).toMillis()
                    + " ms; probe answers " + statuses + "; SDK " + sdk.stats() + "; " + probeEvents
                    + " probe events stored");
        }
    }

    /** Whether the analysis job's advisory lock (AnalysisJob.LOCK, "DIMMERAN") is held: a run is in progress. */
    static boolean analysisRunInProgress(String url) {
        long lock = 0x44494d4d4552414eL;
        return Rows.count(
                        url,
                        "postgres",
                        "",
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ? AND objid = ?",
                        (lock >>> 32),
                        (lock & 0xffffffffL))
                > 0;
    }

    /** Every user the report accounts for: randomised (its arms), not randomised, and excluded. */
    static long usersIn(JsonNode report) {
        long users = report.get("notRandomisedUsers").asLong()
                + report.get("excludedMultiTreatmentUsers").asLong();
        for (JsonNode arm : report.get("arms")) {
            users += arm.get("users").asLong();
        }
        return users;
    }

    static boolean reportExists(Api admin, String project, String flag) {
        Api.Response r =
                admin.get("/api/v1/projects/" + project + "/environments/production/flags/" + flag + "/report");
        return r.status() == 200
                && r.json().get("arms") != null
                && !r.json().get("arms").isEmpty();
    }

    static JsonNode report(Api admin, String project, String flag) {
        return expect(
                        admin.get("/api/v1/projects/" + project + "/environments/production/flags/" + flag + "/report"),
                        200)
                .json();
    }

    /** The server's own count of 5xx answers other than 503, from its Prometheus endpoint: "uri status count". */
    static List<String> serverErrorCounts(Api admin) {
        String text = expect(admin.get("/actuator/prometheus"), 200).text();
        List<String> errors = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^http_server_requests_seconds_count\\{([^}]*)\\} (\\S+)$")
                .matcher(text);
        boolean any = false;
        while (m.find()) {
            any = true;
            Matcher status = Pattern.compile("status=\"(\\d+)\"").matcher(m.group(1));
            if (status.find()
                    && status.group(1).startsWith("5")
                    && !status.group(1).equals("503")) {
                errors.add(m.group(1) + " " + m.group(2));
            }
        }
        if (!any) {
            throw new AssertionError("no http_server_requests_seconds_count in /actuator/prometheus");
        }
        return errors;
    }

    /** Users of a service with five flags (SDK), and a raw client posting event batches. */
    static final class Traffic {

        final DimmerClient sdk;
        final List<String> flags;
        final Probe probe;
        final AtomicLong users = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        Traffic(DimmerClient sdk, List<String> flags, Probe probe) {
            this.sdk = sdk;
            this.flags = flags;
            this.probe = probe;
        }

        void start() {
            thread("restart-users", () -> {
                int i = 0;
                while (!stop.get() && i < 60_000) {
                    for (int k = 0; k < 5; k++, i++) {
                        String key = "user-" + i;
                        for (String flag : flags) {
                            sdk.getTreatment(flag, key);
                        }
                        SplittableRandom random = new SplittableRandom(i);
                        for (int c = 0; c < 2; c++) {
                            Timing.record(sdk, key, "checkout", (long) (random.nextDouble(40, 120) * 1e6), null);
                        }
                    }
                    users.set(i);
                    pause(50); // the service's pace
                }
            });
            thread("restart-probe", () -> {
                while (!stop.get()) {
                    probe.sendOne();
                }
            });
        }

        private void thread(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }

        static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A client that posts event batches itself (not through the SDK) so that it sees every answer: each batch is
     * resent with the same {@code batchId} after the {@code Retry-After} of a 503/429 (or a second without one) until
     * it is acknowledged with 202.
     */
    static final class Probe {

        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI uri;
        private final String sdkKey;
        final Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong withoutRetryAfter = new AtomicLong();
        private final AtomicLong refusals = new AtomicLong();
        private final AtomicBoolean busy = new AtomicBoolean();
        private long batch;

        Probe(String baseUrl, String sdkKey) {
            this.uri = URI.create(baseUrl + "/api/sdk/v1/events");
            this.sdkKey = sdkKey;
        }

        int refusals() {
            return (int) refusals.get();
        }

        boolean idle() {
            return !busy.get();
        }

        /** Sends the next batch until it is acknowledged (bounded: 300 tries). */
        void sendOne() {
            busy.set(true);
            try {
                long n = batch++;
                StringBuilder events = new StringBuilder();
                for (int j = 0; j < PROBE_BATCH; j++) {
                    events.append(j == 0 ? "" : ",")
                            .append("{\"key\":\"probe-")
                            .append(n)
                            .append('-')
                            .append(j)
                            .append("\",\"type\":\"probe\",\"value\":1,\"time\":\"")
                            .append(Instant.now())
                            .append("\"}");
                }
                String body = "{\"batchId\":\"" + UUID.randomUUID() + "\",\"events\":[" + events + "]}";
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + sdkKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                for (int attempt = 0; attempt < 300; attempt++) {
                    HttpResponse<String> response;
                    try {
                        response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    } catch (IOException e) {
                        statuses.merge(-1, 1L, Long::sum); // no answer at all: the server is up, so never expected
                        Traffic.pause(1000);
                        continue;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    int status = response.statusCode();
                    statuses.merge(status, 1L, Long::sum);
                    if (status == 202) {
                        acknowledged.incrementAndGet();
                        Traffic.pause(20);
                        return;
                    }
                    long wait = 1000;
                    if (status == 503 || status == 429) {
                        refusals.incrementAndGet();
                        String retryAfter =
                                response.headers().firstValue("Retry-After").orElse(null);
                        if (retryAfter == null) {
                            withoutRetryAfter.incrementAndGet();
                        } else {
                            wait = Math.max(1, Long.parseLong(retryAfter.trim())) * 1000;
                        }
                    }
                    Traffic.pause(wait);
                }
            } finally {
                busy.set(false);
            }
        }
    }
}
