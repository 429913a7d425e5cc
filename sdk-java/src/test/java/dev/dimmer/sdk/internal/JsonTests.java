package dev.dimmer.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTests {

    private static final String FLAG = """
            {"key": "%s", "treatments": [{"name": "on", "config": {"variant": "b", "tags": ["x"]}}, {"name": "off"}],
             "enabled": true, "offTreatment": "off", "defaultServe": {"treatment": "off"},
             "rules": [{"id": "staff", "conditions": [{"attribute": "userId", "operator": "IN",
                        "values": ["u-1", "u-2"]}], "serve": {"treatment": "on"}}],
             "trafficAllocation": 10000, "version": 3}""";

    private static Snapshot parse() throws Exception {
        String json = "{\"environment\": \"prod\", \"changeNumber\": 7, \"flags\": [" + FLAG.formatted("a") + ","
                + FLAG.formatted("b") + "], \"segments\": [{\"key\": \"s\", \"keys\": [\"u-1\"]}]}";
        return Json.MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), Snapshot.class);
    }

    @Test
    void readSnapshot_repeatedStrings_areOneInstance() throws Exception {
        Snapshot snapshot = parse();
        FlagConfig a = snapshot.flags().get(0);
        FlagConfig b = snapshot.flags().get(1);
        assertThat(a.offTreatment()).isEqualTo("off").isSameAs(b.offTreatment());
        assertThat(a.rules().get(0).id()).isSameAs(b.rules().get(0).id());
        assertThat(a.rules().get(0).conditions().get(0).operator())
                .isSameAs(b.rules().get(0).conditions().get(0).operator());
        assertThat(a.rules().get(0).conditions().get(0).values().get(0))
                .isEqualTo("u-1")
                .isSameAs(b.rules().get(0).conditions().get(0).values().get(0))
                .isSameAs(snapshot.segments().get(0).keys().get(0));
        Map<?, ?> configA = (Map<?, ?>) a.treatments().get(0).config();
        Map<?, ?> configB = (Map<?, ?>) b.treatments().get(0).config();
        assertThat(configA)
                .isEqualTo(Map.of("variant", "b", "tags", List.of("x")))
                .isNotSameAs(configB);
        assertThat(configA.get("variant")).isSameAs(configB.get("variant"));
    }

    @Test
    void readSnapshot_twice_sharesNothingBetweenParses() throws Exception {
        assertThat(parse().flags().get(0).offTreatment())
                .isNotSameAs(parse().flags().get(0).offTreatment());
    }

    @Test
    void readOtherTypes_stringsAreParsedAsUsual() throws Exception {
        record Pair(String first, String second) {}
        Pair pair = Json.MAPPER.readValue("{\"first\": \"on\", \"second\": \"on\"}", Pair.class);
        assertThat(pair).isEqualTo(new Pair("on", "on"));
        assertThat(pair.first()).isNotSameAs(pair.second());
        assertThat(Json.MAPPER.readValue("[\"a\", 1, true]", List.class)).containsExactly("a", 1, true);
    }
}
