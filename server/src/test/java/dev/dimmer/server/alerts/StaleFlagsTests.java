package dev.dimmer.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which configurations serve one treatment to everyone (a stale flag's first reason). */
class StaleFlagsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Optional<String> single(boolean enabled, String rules, String serve, int allocation, String pre) {
        return StaleFlags.singleTreatment(enabled, false, "off", json(rules), json(serve), allocation, json(pre));
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void singleTreatment_disabledOrKilled_servesTheOffTreatment() {
        assertThat(single(false, "[]", "{\"treatment\":\"on\"}", 10_000, "[]")).contains("off");
        assertThat(StaleFlags.singleTreatment(
                        true, true, "off", json("[]"), json("{\"treatment\":\"on\"}"), 10_000, json("[]")))
                .contains("off");
    }

    @Test
    void singleTreatment_fixedDefaultAtFullAllocation_isSingle() {
        assertThat(single(true, "[]", "{\"treatment\":\"on\"}", 10_000, "[]")).contains("on");
        assertThat(single(true, "[{\"serve\":{\"treatment\":\"on\"}}]", "{\"treatment\":\"on\"}", 10_000, "[]"))
                .contains("on");
    }

    @Test
    void singleTreatment_splitWithAZeroWeightArm_isSingle() {
        assertThat(single(
                        true,
                        "[]",
                        "{\"split\":[{\"treatment\":\"on\",\"weight\":10000},{\"treatment\":\"off\",\"weight\":0}]}",
                        10_000,
                        "[]"))
                .contains("on");
    }

    @Test
    void singleTreatment_anythingThatServesTwoTreatments_isNot() {
        assertThat(single(
                        true,
                        "[]",
                        "{\"split\":[{\"treatment\":\"on\",\"weight\":5000},{\"treatment\":\"off\",\"weight\":5000}]}",
                        10_000,
                        "[]"))
                .isEmpty();
        // 10 % allocation: the excluded 90 % get the off treatment.
        assertThat(single(true, "[]", "{\"treatment\":\"on\"}", 1000, "[]")).isEmpty();
        // A rule serving another treatment than the default.
        assertThat(single(true, "[{\"serve\":{\"treatment\":\"off\"}}]", "{\"treatment\":\"on\"}", 10_000, "[]"))
                .isEmpty();
        // A prerequisite that fails serves the off treatment.
        assertThat(single(true, "[]", "{\"treatment\":\"on\"}", 10_000, "[{\"flag\":\"x\",\"treatments\":[\"on\"]}]"))
                .isEmpty();
    }
}
