package dev.dimmer.e2e;

import static dev.dimmer.server.testsupport.Fixtures.expect;

import dev.dimmer.sdk.ClientStats;
import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.Timing;
import dev.dimmer.sdk.eval.EvaluationResult;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * "It's me": ten flags of one project ramp on rollout plans at once while synthetic users of three services, each
 * embedding the real Java SDK, produce latency, error and conversion events. One flag's treatment (chosen by the seed)
 * makes the guarded code 20 % slower and fail three times as often; one makes it 10 % faster; the other eight change
 * nothing the guardrails measure. The platform has to find the harmful flag among the ten from the events alone.
 *
 * <p>Everything runs for real on two replicas of the server jar: ingestion, the analysis job, the alert cycle with the
 * guardrail policy {@code KILL}, the plan scheduler (plans with {@code onBreach: KILL}), the notification worker and
 * its signed webhook. Only time is compressed, by the replicas' configuration ({@link JarReplicas#COMPRESSED}) and
 * the stages' minimum durations.
 *
 * <p><b>The synthetic service.</b> User {@code i} arrives once, at service {@code i % 3}, which evaluates the ten flags
 * for them (the SDK sends the impressions), then serves them {@value #CALLS} calls of its guarded operation. Each
 * call's latency (log-normal, mean {@value #BASE_LATENCY_MS} ms, σ of the log {@value #LATENCY_SIGMA}) and failure
 * (probability {@value #BASE_ERROR_RATE}) are drawn from a generator seeded by the scenario's seed and the user's index,
 * so the same seed gives every user the same draws; the treatments' effects multiply them. The call is recorded with
 * {@link Timing#record} — the SDK's own path for code timed elsewhere (its OpenFeature hook uses it) — as {@code
 * latency} and {@code error} events, so no thread sleeps to produce a latency. A tenth of users buy ({@code
 * purchase}).
 */
final class ItsMeScenario implements AutoCloseable {

    static final List<String> FLAG_NAMES = List.of(
            "new-search",
            "one-page-checkout",
            "recommendations-v2",
            "dark-mode",
            "image-cdn",
            "payment-retry",
            "smart-shipping",
            "gift-cards",
            "reviews-carousel",
            "saved-carts");

    static final int CALLS = 3;
    static final double BASE_LATENCY_MS = 80;
    static final double LATENCY_SIGMA = 0.45;
    static final double BASE_ERROR_RATE = 0.02;
    static final double PURCHASE_RATE = 0.1;
    static final double HARMFUL_LATENCY = 1.2;
    static final double HARMFUL_ERRORS = 3;
    static final double FASTER_LATENCY = 0.9;

    /** Users per second the services see (in rounds of 50 ms). */
    static final int USERS_PER_SECOND = 100;

    /** A bound on the traffic, whatever happens: about 4 minutes at the rate above. */
    static final int MAX_USERS = 24_000;

    static final String ENVIRONMENT = "production";

    /** How often waits that ask the admin API poll. */
    static final Duration POLL = Duration.ofMillis(200);

    static final String TEAM = "checkout";
    static final String HOOK_PATH = "/itsme-";

    private static final IllegalStateException FAILURE = new IllegalStateException("synthetic failure");

    /** What one run of the scenario showed. */
    record Outcome(
            long seed,
            String project,
            String harmful,
            String faster,
            List<String> guardrailAlertFlags,
            boolean harmfulAlerted,
            boolean harmfulKilled,
            String killedBy,
            Duration startToKill,
            Map<String, String> planStatus,
            List<String> healthyCompleted,
            Map<String, List<String>> degradedGuardrails,
            long users,
            Duration ramp) {

        List<String> falselyAlerted() {
            return guardrailAlertFlags.stream()
                    .filter(f -> !f.equals(harmful))
                    .distinct()
                    .toList();
        }

        boolean caught() {
            return harmfulAlerted && harmfulKilled;
        }

        String line() {
            return "seed " + seed + ": harmful '" + harmful + "' " + (caught() ? "caught" : "MISSED") + " (alerted "
                    + harmfulAlerted + ", killed " + harmfulKilled + " by " + killedBy + " after " + startToKill
                    + "); guardrail alerts on " + guardrailAlertFlags + "; healthy completed "
                    + healthyCompleted.size() + "/9; " + users + " users in " + ramp.toSeconds() + " s; plans "
                    + planStatus;
        }
    }

    final long seed;
    final String harmful;
    final String faster;
    final List<ServerProcess> replicas;
    final Api admin;
    final WebhookReceiver receiver;
    final String project;
    final String sdkKey;
    final String hookPath;
    private final List<DimmerClient> services = new ArrayList<>();
    private final Map<String, Instant> killSeenAt = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong users = new AtomicLong();
    private Thread traffic;
    private Instant started;

    /** Sets up the project through the admin API of the first replica; nothing runs yet. */
    ItsMeScenario(long seed, List<ServerProcess> replicas, WebhookReceiver receiver) {
        this.seed = seed;
        this.harmful = FLAG_NAMES.get(Math.floorMod(seed, FLAG_NAMES.size()));
        this.faster = FLAG_NAMES.get(Math.floorMod(seed + 1, FLAG_NAMES.size()));
        this.replicas = replicas;
        this.admin = replicas.get(0).admin();
        this.receiver = receiver;
        this.project = Fixtures.project(admin);
        this.hookPath = HOOK_PATH + project;
        this.sdkKey = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/environments/" + ENVIRONMENT + "/sdk-keys",
                                Map.of("name", "services")),
                        201)
                .json()
                .get("key")
                .asString();
        // The on-call team, told through a signed webhook.
        expect(admin.post("/api/v1/projects/" + project + "/teams", Map.of("key", TEAM, "name", "Checkout")), 201);
        String secret = expect(
                        admin.post(
                                "/api/v1/projects/" + project + "/teams/" + TEAM + "/channels",
                                Map.of("key", "hook", "kind", "webhook", "url", receiver.url(hookPath))),
                        201)
                .json()
                .get("secret")
                .asString();
        receiver.secret(hookPath, secret);
        // The project's guardrails (every flag is watched with them) and a success metric.
        metric(Map.of(
                "key",
                "latency",
                "name",
                "Checkout latency",
                "eventType",
                Timing.LATENCY_EVENT,
                "aggregation",
                "AVERAGE",
                "direction",
                "DECREASE",
                "guardrail",
                true,
                "margin",
                0.05,
                "killThreshold",
                0.05));
        metric(Map.of(
                "key",
                "errors",
                "name",
                "Checkout errors",
                "eventType",
                Timing.ERROR_EVENT,
                "aggregation",
                "COUNT",
                "direction",
                "DECREASE",
                "guardrail",
                true,
                "margin",
                0.02,
                "killThreshold",
                0.5));
        metric(Map.of(
                "key", "purchases",
                "name", "Purchases",
                "eventType", "purchase",
                "aggregation", "CONVERSION",
                "direction", "INCREASE",
                "guardrail", false));
        Random seeds = new Random(seed);
        for (String flag : FLAG_NAMES) {
            Fixtures.flag(admin, project, flag); // owner team: checkout
            Map<String, Object> configuration = new LinkedHashMap<>();
            configuration.put("enabled", false);
            configuration.put("offTreatment", "off");
            configuration.put("defaultServe", Map.of("treatment", "off"));
            configuration.put("rules", List.of());
            configuration.put("trafficAllocation", 0);
            // The seeds of the buckets come from the scenario's seed: the same seed, the same users in each arm.
            configuration.put("seed", seeds.nextInt());
            configuration.put("trafficSeed", seeds.nextInt());
            Fixtures.configure(admin, project, ENVIRONMENT, flag, configuration);
            expect(
                    admin.put(
                            "/api/v1/projects/" + project + "/flags/" + flag + "/metrics",
                            Map.of("successMetrics", List.of("purchases"))),
                    200);
            expect(
                    admin.put(
                            "/api/v1/projects/" + project + "/flags/" + flag + "/guardrail-policy",
                            Map.of("policy", "KILL")),
                    200);
            expect(admin.put(planPath(flag), plan()), 201);
        }
    }

    /**
     * 10 % → 25 % → 50 % → 100 %. Each of the first three stages lasts at least 5 s (for hours in production) and
     * needs 200, 400 then 600 randomised users in each arm; a breach kills the flag.
     */
    static Map<String, Object> plan() {
        return Map.of(
                "onBreach",
                "KILL",
                "stages",
                List.of(
                        stage(1000, "PT5S", 200),
                        stage(2500, "PT5S", 400),
                        stage(5000, "PT5S", 600),
                        stage(10_000, "PT0S", 0)));
    }

    private static Map<String, Object> stage(int weight, String minDuration, long minSamplePerArm) {
        return Map.of("weight", weight, "minDuration", minDuration, "minSamplePerArm", minSamplePerArm);
    }

    private void metric(Map<String, Object> definition) {
        expect(admin.post("/api/v1/projects/" + project + "/metrics", definition), 201);
    }

    String configurationPath(String flag) {
        return "/api/v1/projects/" + project + "/environments/" + ENVIRONMENT + "/flags/" + flag;
    }

    String planPath(String flag) {
        return configurationPath(flag) + "/plan";
    }

    /** Three services (SDK clients), on the replicas in turn; each ready before any user arrives. */
    void startServices() {
        String[] names = {"checkout-service", "search-service", "account-service"};
        for (int s = 0; s < names.length; s++) {
            ServerProcess replica = replicas.get(s % replicas.size());
            DimmerClient client = DimmerClient.builder(sdkKey)
                    .baseUrl(replica.baseUrl())
                    .instanceName(names[s])
                    .flushInterval(Duration.ofMillis(200))
                    .closeTimeout(Duration.ofSeconds(10))
                    .build();
            String name = names[s];
            client.onConfigurationChanged(change -> {
                if (change.flagsChanged().contains(harmful)
                        && "killed"
                                .equals(client.getTreatment(harmful, "kill-probe")
                                        .label())) {
                    killSeenAt.putIfAbsent(name, Instant.now());
                }
            });
            client.start();
            client.awaitReady(Duration.ofSeconds(30));
            services.add(client);
        }
    }

    /** Starts the plans of the ten flags, then the users. */
    void start() {
        started = Instant.now();
        for (String flag : FLAG_NAMES) {
            expect(admin.post(planPath(flag) + "/start", null), 200);
        }
        traffic = new Thread(this::generateUsers, "itsme-users-" + seed);
        traffic.setDaemon(true);
        traffic.start();
    }

    private void generateUsers() {
        int perRound = USERS_PER_SECOND / 20;
        long next = System.nanoTime();
        int i = 0;
        while (!stop.get() && i < MAX_USERS) {
            for (int k = 0; k < perRound && i < MAX_USERS; k++) {
                visit(i++);
            }
            users.set(i);
            next += 50_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000)); // the service's pace, not a test wait
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // behind: do not burst to catch up
            }
        }
    }

    private void visit(int i) {
        DimmerClient service = services.get(i % services.size());
        String key = "user-" + i;
        boolean harmfulOn = false;
        boolean fasterOn = false;
        for (String flag : FLAG_NAMES) {
            EvaluationResult r = service.getTreatment(flag, key);
            boolean on = "on".equals(r.treatment());
            harmfulOn |= on && flag.equals(harmful);
            fasterOn |= on && flag.equals(faster);
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        double latencyFactor = (harmfulOn ? HARMFUL_LATENCY : 1) * (fasterOn ? FASTER_LATENCY : 1);
        double errorRate = BASE_ERROR_RATE * (harmfulOn ? HARMFUL_ERRORS : 1);
        double mu = Math.log(BASE_LATENCY_MS) - LATENCY_SIGMA * LATENCY_SIGMA / 2;
        for (int c = 0; c < CALLS; c++) {
            double millis = Math.exp(mu + LATENCY_SIGMA * gaussian(random)) * latencyFactor;
            boolean fails = random.nextDouble() < errorRate;
            Timing.record(service, key, "checkout", (long) (millis * 1_000_000), fails ? FAILURE : null);
        }
        if (random.nextDouble() < PURCHASE_RATE) {
            service.track(key, "purchase");
        }
    }

    /** A standard normal draw (Box–Muller), from the user's own generator. */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    long users() {
        return users.get();
    }

    JsonNode plan(String flag) {
        return expect(admin.get(planPath(flag)), 200).json();
    }

    JsonNode configuration(String flag) {
        return expect(admin.get(configurationPath(flag)), 200).json();
    }

    JsonNode guardrailAlerts() {
        return expect(admin.get("/api/v1/alerts?project=" + project + "&kind=GUARDRAIL"), 200)
                .json();
    }

    JsonNode report(String flag) {
        return expect(admin.get(configurationPath(flag) + "/report"), 200).json();
    }

    List<DimmerClient> services() {
        return services;
    }

    /** When each service's SDK first served the harmful flag as killed (from its change listener). */
    Map<String, Instant> killSeenAt() {
        return killSeenAt;
    }

    Instant started() {
        return started;
    }

    /**
     * Waits until the harmful flag is killed and the other nine plans completed, or any plan ends otherwise (a halt
     * or pause of a healthy one), or {@code timeout}. Polls the admin API; returns each flag's plan status.
     */
    Map<String, String> awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> status = new LinkedHashMap<>();
        while (true) {
            boolean settled = true;
            for (String flag : FLAG_NAMES) {
                String s = plan(flag).get("status").asString();
                status.put(flag, s);
                if (flag.equals(harmful)) {
                    // Settled once it is stopped (killed) or, missed, completed.
                    settled &= !s.equals("ACTIVE");
                } else {
                    settled &= s.equals("COMPLETED") || s.equals("HALTED") || s.equals("PAUSED");
                }
            }
            if (settled || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(250);
        }
    }

    /** Stops the users and sends everything the services queued. */
    void stopTraffic() throws InterruptedException {
        stop.set(true);
        if (traffic != null) {
            traffic.join(30_000);
        }
        for (DimmerClient c : services) {
            c.flush();
        }
        Awaiting.until(Duration.ofSeconds(60), () -> services.stream().allMatch(ItsMeScenario::drained));
    }

    static boolean drained(DimmerClient client) {
        ClientStats s = client.stats();
        return s.eventsSent() + s.eventsDropped() >= s.eventsQueued()
                && s.impressionsSent() + s.impressionsDropped() >= s.impressionsQueued();
    }

    /**
     * Waits until every flag has a report computed after {@code after} (the moment every batch was acknowledged). The
     * analysis job recomputes a flag once more after data stops arriving ({@code dimmer.analysis.settle}), so this
     * normally comes from the scheduled job; a flag still without one after {@code timeout} is refreshed through the
     * report API, the same computation a person's "refresh" runs.
     */
    void awaitReportsAfter(Instant after, Duration timeout) throws InterruptedException {
        Awaiting.until(timeout, POLL, () -> FLAG_NAMES.stream().allMatch(f -> computedAfter(f, after)));
        for (String flag : FLAG_NAMES) {
            if (!computedAfter(flag, after)) {
                expect(admin.post(configurationPath(flag) + "/report/refresh", null), 200);
            }
        }
    }

    private boolean computedAfter(String flag, Instant after) {
        return Instant.parse(report(flag).get("computedAt").asString()).isAfter(after);
    }

    /** The guardrails whose status is BREACHED or SEVERE in the flag's report, as "metric:treatment STATUS". */
    List<String> degradedGuardrails(String flag) {
        List<String> degraded = new ArrayList<>();
        for (JsonNode metric : report(flag).get("metrics")) {
            if (!metric.get("guardrail").asBoolean() || metric.get("treatments") == null) {
                continue;
            }
            for (JsonNode t : metric.get("treatments")) {
                String status = t.get("guardrailStatus") == null
                        ? ""
                        : t.get("guardrailStatus").asString();
                if (status.equals("BREACHED") || status.equals("SEVERE")) {
                    degraded.add(metric.get("key").asString() + ":"
                            + t.get("treatment").asString() + " " + status);
                }
            }
        }
        return degraded;
    }

    /** Who killed the flag (the audit entry's actor), or null when nobody did. */
    String killedBy(String flag) {
        JsonNode entries = expect(admin.get("/api/v1/audit?project=" + project + "&flag=" + flag), 200)
                .json();
        for (JsonNode e : entries) {
            if ("kill".equals(e.get("action").asString())) {
                return e.get("actor").asString();
            }
        }
        return null;
    }

    Instant killedAt(String flag) {
        JsonNode entries = expect(admin.get("/api/v1/audit?project=" + project + "&flag=" + flag), 200)
                .json();
        for (JsonNode e : entries) {
            if ("kill".equals(e.get("action").asString())) {
                return Instant.parse(e.get("at").asString());
            }
        }
        return null;
    }

    /** Runs the whole scenario and reads what happened (the default test asserts more along the way). */
    Outcome outcome(Map<String, String> planStatus, Duration ramp) {
        List<String> alertFlags = new ArrayList<>();
        for (JsonNode a : guardrailAlerts()) {
            alertFlags.add(a.get("flag").asString());
        }
        boolean killed = configuration(harmful).get("killed").asBoolean();
        Instant killedAt = killed ? killedAt(harmful) : null;
        List<String> completed = new ArrayList<>();
        Map<String, List<String>> degraded = new LinkedHashMap<>();
        for (String flag : FLAG_NAMES) {
            if (flag.equals(harmful)) {
                continue;
            }
            if ("COMPLETED".equals(planStatus.get(flag))) {
                completed.add(flag);
            }
            List<String> d = degradedGuardrails(flag);
            if (!d.isEmpty()) {
                degraded.put(flag, d);
            }
        }
        return new Outcome(
                seed,
                project,
                harmful,
                faster,
                alertFlags,
                alertFlags.contains(harmful),
                killed,
                killed ? killedBy(harmful) : null,
                killedAt == null ? null : Duration.between(started, killedAt),
                planStatus,
                completed,
                degraded,
                users.get(),
                ramp);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        if (traffic != null) {
            traffic.join(30_000);
        }
        for (DimmerClient c : services) {
            c.close();
        }
    }
}
