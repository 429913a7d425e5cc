package dev.dimmer.sdk.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Treatment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the constraint cases of the Unleash client specification (DESIGN.md §3) through the engine,
 * one dynamic test per case, named by the case's description. The files stay in {@code shared/}:
 * the directory comes from the system property {@code dimmer.conformance.dir}, and the test is
 * skipped, saying so, when it is absent.
 *
 * <p>The adapter: each Unleash feature becomes a flag with treatments on/off, off treatment "off"
 * and default rule "off"; each strategy becomes a rule serving "on" ("default" adds no condition,
 * "userWithId" adds IN on userId); each constraint becomes a condition (NOT_IN = IN negated,
 * {@code inverted} flips negate, NUM_/STR_/DATE_ prefixes dropped, REGEX = MATCHES, anything else
 * passed through, so an unknown operator reaches the engine as unknown); Unleash segments become
 * Dimmer segments of conditions, referenced through IN_SEGMENT, so a missing segment matches
 * no one. Context fields and {@code properties} become attributes; {@code userId} is the key.
 */
class UnleashConformanceTests {

    private static final List<String> FILES = List.of(
            "09-strategy-constraints.json",
            "11-strategy-constraints-edge-cases.json",
            "13-constraint-operators.json",
            "14-constraint-semver-operators.json",
            "15-global-constraints.json",
            "21-regex-constraint-operators.json",
            "22-cidr-constraint-operators.json");

    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("NOT_IN", "IN"),
            Map.entry("STR_STARTS_WITH", "STARTS_WITH"),
            Map.entry("STR_ENDS_WITH", "ENDS_WITH"),
            Map.entry("STR_CONTAINS", "CONTAINS"),
            Map.entry("NUM_EQ", "EQ"),
            Map.entry("NUM_LT", "LT"),
            Map.entry("NUM_LTE", "LTE"),
            Map.entry("NUM_GT", "GT"),
            Map.entry("NUM_GTE", "GTE"),
            Map.entry("DATE_BEFORE", "BEFORE"),
            Map.entry("DATE_AFTER", "AFTER"),
            Map.entry("REGEX", "MATCHES"));

    @TestFactory
    Stream<DynamicNode> unleashClientSpecification() {
        Path dir = Path.of(
                System.getProperty("dimmer.conformance.dir", "../../shared/conformance/unleash-client-specification"));
        if (!Files.isDirectory(dir)) {
            // A dynamic test that aborts, so the skip and its reason show in the test report.
            String why = "Unleash client specification not found at " + dir.toAbsolutePath()
                    + " (set -Ddimmer.conformance.dir); conformance cases skipped";
            return Stream.of(dynamicTest("conformance files absent", () -> Assumptions.assumeTrue(false, why)));
        }
        return FILES.stream().map(file -> dynamicContainer(file, cases(dir.resolve(file))));
    }

    private static Stream<DynamicNode> cases(Path file) {
        JsonObject spec;
        try {
            spec = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        EvaluationEngine engine = EvaluationEngine.compile(snapshot(spec.getAsJsonObject("state")));
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonElement element : array(spec, "tests")) {
            JsonObject test = element.getAsJsonObject();
            boolean expected = test.get("expectedResult").getAsBoolean();
            tests.add(dynamicTest(test.get("description").getAsString(), () -> assertEnabled(engine, test, expected)));
        }
        for (JsonElement element : array(spec, "variantTests")) {
            // Variant names come from Unleash's own variant hashing (murmur of "<group>:<stickiness>"
            // modulo the total weight), which a Dimmer split does not reproduce; only the part a
            // constraint decides, "feature_enabled", is asserted.
            JsonObject test = element.getAsJsonObject();
            boolean expected = test.getAsJsonObject("expectedResult")
                    .get("feature_enabled")
                    .getAsBoolean();
            String name = test.get("description").getAsString() + " [feature_enabled only]";
            tests.add(dynamicTest(name, () -> assertEnabled(engine, test, expected)));
        }
        return tests.stream();
    }

    private static void assertEnabled(EvaluationEngine engine, JsonObject test, boolean expected) {
        Map<String, Object> attributes = attributes(test.getAsJsonObject("context"));
        Object userId = attributes.get("userId");
        String flag = test.get("toggleName").getAsString();
        EvaluationResult result = engine.evaluate(flag, userId == null ? null : userId.toString(), attributes, "off");
        assertThat(result.treatment())
                .as("%s for %s → %s", flag, attributes, result)
                .isEqualTo(expected ? "on" : "off");
    }

    private static Map<String, Object> attributes(JsonObject context) {
        Map<String, Object> attributes = new HashMap<>();
        for (Map.Entry<String, JsonElement> field : context.entrySet()) {
            if (field.getKey().equals("properties")) {
                for (Map.Entry<String, JsonElement> property :
                        field.getValue().getAsJsonObject().entrySet()) {
                    attributes.put(property.getKey(), text(property.getValue()));
                }
            } else {
                attributes.put(field.getKey(), text(field.getValue()));
            }
        }
        return attributes;
    }

    private static Snapshot snapshot(JsonObject state) {
        List<SegmentDefinition> segments = new ArrayList<>();
        for (JsonElement element : array(state, "segments")) {
            JsonObject segment = element.getAsJsonObject();
            segments.add(new SegmentDefinition(
                    segmentKey(segment.get("id")), List.of(), conditions(array(segment, "constraints"))));
        }
        List<FlagConfig> flags = new ArrayList<>();
        for (JsonElement element : array(state, "features")) {
            flags.add(flag(element.getAsJsonObject()));
        }
        return new Snapshot("conformance", 1, flags, segments);
    }

    private static FlagConfig flag(JsonObject feature) {
        List<Rule> rules = new ArrayList<>();
        JsonArray strategies = array(feature, "strategies");
        for (int i = 0; i < strategies.size(); i++) {
            rules.add(rule("strategy-" + i, strategies.get(i).getAsJsonObject()));
        }
        boolean enabled = !feature.has("enabled") || feature.get("enabled").getAsBoolean();
        return new FlagConfig(
                feature.get("name").getAsString(),
                List.of(new Treatment("on", null, null), new Treatment("off", null, null)),
                enabled,
                false,
                "off",
                rules,
                Serve.fixed("off"),
                10_000,
                0,
                0,
                List.of(),
                1);
    }

    private static Rule rule(String id, JsonObject strategy) {
        List<Condition> conditions = new ArrayList<>(conditions(array(strategy, "constraints")));
        for (JsonElement segment : array(strategy, "segments")) {
            conditions.add(new Condition(null, "IN_SEGMENT", List.of(segmentKey(segment)), false, false));
        }
        String name = strategy.get("name").getAsString();
        switch (name) {
            case "default" -> {}
            case "userWithId" -> {
                List<String> ids = new ArrayList<>();
                for (String userId : strategy.getAsJsonObject("parameters")
                        .get("userIds")
                        .getAsString()
                        .split(",")) {
                    ids.add(userId.strip());
                }
                conditions.add(new Condition("userId", "IN", ids, false, false));
            }
            default -> throw new IllegalStateException("strategy '" + name + "' cannot be expressed as Dimmer rules");
        }
        return new Rule(id, conditions, Serve.fixed("on"));
    }

    private static List<Condition> conditions(JsonArray constraints) {
        List<Condition> conditions = new ArrayList<>();
        for (JsonElement element : constraints) {
            JsonObject constraint = element.getAsJsonObject();
            String operator = constraint.get("operator").getAsString();
            List<String> values = new ArrayList<>();
            if (constraint.has("values")) {
                for (JsonElement value : constraint.getAsJsonArray("values")) {
                    values.add(value.getAsString());
                }
            } else if (constraint.has("value")) {
                values.add(constraint.get("value").getAsString());
            }
            boolean inverted =
                    constraint.has("inverted") && constraint.get("inverted").getAsBoolean();
            boolean caseInsensitive = constraint.has("caseInsensitive")
                    && constraint.get("caseInsensitive").getAsBoolean();
            conditions.add(new Condition(
                    constraint.get("contextName").getAsString(),
                    OPERATORS.getOrDefault(operator, operator),
                    values,
                    inverted != operator.equals("NOT_IN"),
                    caseInsensitive));
        }
        return conditions;
    }

    private static String segmentKey(JsonElement id) {
        return "unleash-segment-" + id.getAsString();
    }

    private static JsonArray array(JsonObject object, String field) {
        return object.has(field) && object.get(field).isJsonArray() ? object.getAsJsonArray(field) : new JsonArray();
    }

    private static String text(JsonElement value) {
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
