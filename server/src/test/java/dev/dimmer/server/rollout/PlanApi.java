package dev.dimmer.server.rollout;

import static dev.dimmer.server.testsupport.Fixtures.expect;

import dev.dimmer.server.testsupport.Api;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** The rollout plan API of one project and environment, for tests. */
final class PlanApi {

    final Api admin;
    final String project;
    final String environment;

    PlanApi(Api admin, String project, String environment) {
        this.admin = admin;
        this.project = project;
        this.environment = environment;
    }

    String configurationPath(String flag) {
        return "/api/v1/projects/" + project + "/environments/" + environment + "/flags/" + flag;
    }

    String path(String flag) {
        return configurationPath(flag) + "/plan";
    }

    static Map<String, Object> stage(int weight, String minDuration, long minSamplePerArm) {
        return stage(null, List.of(), weight, minDuration, minSamplePerArm, false);
    }

    static Map<String, Object> stage(
            String name,
            List<String> segments,
            int weight,
            String minDuration,
            long minSamplePerArm,
            boolean requiresApproval) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (name != null) {
            s.put("name", name);
        }
        s.put("segments", segments);
        s.put("weight", weight);
        s.put("minDuration", minDuration);
        s.put("minSamplePerArm", minSamplePerArm);
        s.put("requiresApproval", requiresApproval);
        return s;
    }

    static Map<String, Object> plan(String onBreach, List<Map<String, Object>> stages) {
        return Map.of("onBreach", onBreach, "stages", stages);
    }

    JsonNode define(String flag, Map<String, Object> plan) {
        return expect(admin.put(path(flag), plan), 201).json();
    }

    JsonNode start(String flag) {
        return expect(admin.post(path(flag) + "/start", null), 200).json();
    }

    JsonNode action(String flag, String action, Object body) {
        return expect(admin.post(path(flag) + "/" + action, body), 200).json();
    }

    JsonNode get(String flag) {
        return expect(admin.get(path(flag)), 200).json();
    }

    JsonNode configuration(String flag) {
        return expect(admin.get(configurationPath(flag)), 200).json();
    }

    /** Polls the plan until {@code done} holds; fails with the plan's last state after {@code timeout}. */
    JsonNode await(String flag, String what, Duration timeout, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode plan = get(flag);
        while (!done.test(plan)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for plan of '" + flag + "' to be "
                        + what + "; it is " + plan.get("status") + " at stage " + plan.get("currentStage") + " ("
                        + plan.get("statusReason") + "), gate " + plan.get("gate"));
            }
            Thread.sleep(100);
            plan = get(flag);
        }
        return plan;
    }

    static Predicate<JsonNode> status(String status) {
        return p -> status.equals(p.get("status").asString());
    }

    /** The treatment's weight in the configuration's default split (0 when it serves one treatment). */
    static int treatmentWeight(JsonNode configuration, String treatment) {
        JsonNode split = configuration.get("defaultServe").get("split");
        if (split == null || split.isNull()) {
            return treatment.equals(
                            configuration.get("defaultServe").get("treatment").asString())
                    ? 10_000
                    : 0;
        }
        for (JsonNode arm : split) {
            if (arm.get("treatment").asString().equals(treatment)) {
                return arm.get("weight").asInt();
            }
        }
        return 0;
    }

    /** The share of users (basis points) the default split serves {@code treatment}: allocation × weight. */
    static int share(JsonNode configuration, String treatment) {
        return configuration.get("trafficAllocation").asInt() * treatmentWeight(configuration, treatment) / 10_000;
    }

    /** The kinds of the plan's transitions with their stages, e.g. "ADVANCED 0→1". */
    static List<String> history(JsonNode plan) {
        List<String> kinds = new java.util.ArrayList<>();
        for (JsonNode t : plan.get("transitions")) {
            kinds.add(t.get("kind").asString() + " " + t.get("fromStage").asInt() + "→"
                    + t.get("toStage").asInt());
        }
        return kinds;
    }
}
