package dev.dimmer.server.flags;

import dev.dimmer.sdk.snapshot.Treatment;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes a flag's treatments, stored as a JSON column. */
@Component
public class FlagTreatments {

    private static final TypeReference<List<Treatment>> LIST = new TypeReference<>() {};

    private final JsonMapper json;

    FlagTreatments(JsonMapper json) {
        this.json = json;
    }

    public List<Treatment> of(Flag flag) {
        return json.readValue(flag.getTreatmentsJson(), LIST);
    }

    public List<String> namesOf(Flag flag) {
        return of(flag).stream().map(Treatment::name).toList();
    }

    String toJson(List<Treatment> treatments) {
        return json.writeValueAsString(treatments);
    }

    public FlagView view(Flag flag) {
        return new FlagView(
                flag.getKey(),
                flag.getDescription(),
                flag.getOwnerTeam(),
                flag.getKind(),
                of(flag),
                Arrays.asList(flag.getTags()),
                flag.isArchived(),
                flag.getVersion(),
                flag.getCreatedAt(),
                flag.getUpdatedAt());
    }
}
