package dev.dimmer.e2e.soak;

import dev.dimmer.server.testsupport.Api;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes one flag per call through the admin API, the way an operator would: flags in turn,
 * each cycling through a configuration PUT (If-Match the ETag just read), a kill and a restore.
 * Calls alternate between the two replicas, so each replica both commits changes and learns of
 * the other's through PostgreSQL {@code NOTIFY}. One thread calls {@link #changeOnce()}.
 *
 * <p>A failed admin call (timeout, error status) is counted, not fatal: the changer then reads
 * the environment's change number (the SDK snapshot) to learn whether the change committed, so
 * that change slot k stays change number base + k + 1 ({@link ChangeLatencies}). Only a change
 * number it cannot explain (another writer) stops it ({@link #fatal()}).
 */
final class FlagChanger {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> replicaUrls;
    private final String environmentPath;
    private final List<String> flags;
    private final String sdkKey;
    private final ChangeLatencies latencies;
    private int attempts; // only the changer's thread
    private volatile int committed;
    private volatile boolean resync;
    private volatile int failures;
    private volatile String lastFailure;
    private volatile String fatal;

    FlagChanger(
            List<String> replicaUrls, String project, List<String> flags, String sdkKey, ChangeLatencies latencies) {
        this.replicaUrls = List.copyOf(replicaUrls);
        this.environmentPath = "/api/v1/projects/" + project + "/environments/production/flags/";
        this.flags = List.copyOf(flags);
        this.sdkKey = sdkKey;
        this.latencies = latencies;
    }

    /** The configuration every flag starts with, and the one a PUT alternates with. */
    static Map<String, Object> configuration(int onWeight) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", true);
        body.put("offTreatment", "off");
        body.put(
                "rules",
                List.of(Map.of(
                        "id",
                        "dogfood",
                        "conditions",
                        List.of(Map.of(
                                "attribute", "email", "operator", "ENDS_WITH", "values", List.of("@example.com"))),
                        "serve",
                        Map.of("treatment", "on"))));
        body.put(
                "defaultServe",
                Map.of(
                        "split",
                        List.of(
                                Map.of("treatment", "on", "weight", onWeight),
                                Map.of("treatment", "off", "weight", 10000 - onWeight))));
        body.put("trafficAllocation", 10000);
        return body;
    }

    void changeOnce() {
        try {
            if (fatal != null || (resync && !resync())) {
                return;
            }
            int slot = committed;
            if (slot >= latencies.capacity()) {
                return;
            }
            // attempts, not slots, pick the flag, step and replica: a retried change is a new request.
            int k = attempts++;
            String flag = flags.get(k % flags.size());
            int step = (k / flags.size()) % 3;
            URI uri = URI.create(replicaUrls.get(k % replicaUrls.size()) + environmentPath + flag);
            HttpRequest write;
            if (step == 0) {
                HttpResponse<String> current =
                        http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (current.statusCode() != 200) {
                    failed("GET " + uri + " -> " + current.statusCode() + " " + current.body(), false);
                    return;
                }
                // Alternate so that every PUT really changes something.
                int round = k / (3 * flags.size());
                write = request(uri)
                        .header("If-Match", current.headers().firstValue("ETag").orElse("*"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(configuration(round % 2 == 0 ? 1500 : 1000))))
                        .build();
            } else {
                write = request(URI.create(uri + (step == 1 ? "/kill" : "/restore")))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
            }
            long start = System.nanoTime();
            latencies.sending(slot, start);
            try {
                HttpResponse<String> response = http.send(write, HttpResponse.BodyHandlers.ofString());
                latencies.adminCallTook(slot, System.nanoTime() - start);
                if (response.statusCode() == 200) {
                    committed = slot + 1;
                } else {
                    failed(
                            write.method() + " " + write.uri() + " -> " + response.statusCode() + " " + response.body(),
                            true);
                }
            } catch (IOException e) {
                failed(write.method() + " " + write.uri() + ": " + e, true);
            }
        } catch (IOException e) {
            failed(e.toString(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failed(String what, boolean mayHaveCommitted) {
        failures++;
        lastFailure = what;
        resync |= mayHaveCommitted;
    }

    /** After a write whose outcome is unknown: did it bump the change number? */
    private boolean resync() throws InterruptedException {
        try {
            HttpResponse<String> snapshot = http.send(
                    HttpRequest.newBuilder(URI.create(replicaUrls.get(0) + "/api/sdk/v1/snapshot"))
                            .timeout(TIMEOUT)
                            .header("Authorization", "Bearer " + sdkKey)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (snapshot.statusCode() != 200) {
                return false;
            }
            long changeNumber =
                    JSON.readTree(snapshot.body()).get("changeNumber").asLong();
            long done = changeNumber - latencies.base();
            if (done == committed + 1) {
                committed++; // it committed; the SDKs saw it as that slot
            } else if (done != committed) {
                fatal = "change number " + changeNumber + " after " + committed + " changes from base "
                        + latencies.base() + ": another writer, or a lost change";
                return false;
            }
            resync = false;
            return true;
        } catch (IOException e) {
            return false; // try again at the next tick
        }
    }

    /** Changes committed so far. */
    int committed() {
        return committed;
    }

    /** Admin calls that failed or timed out (each was then checked: committed or not). */
    int failures() {
        return failures;
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Set when the change numbers cannot be explained; the changer then stops. */
    String fatal() {
        return fatal;
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + Api.ADMIN_TOKEN);
    }
}
