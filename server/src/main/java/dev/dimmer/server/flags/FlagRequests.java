package dev.dimmer.server.flags;

import dev.dimmer.sdk.snapshot.Treatment;
import dev.dimmer.server.system.Limits;
import dev.dimmer.server.system.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Request bodies of the flag endpoints and the checks they share. */
final class FlagRequests {

    static final List<Treatment> DEFAULT_TREATMENTS =
            List.of(new Treatment("on", "feature on", null), new Treatment("off", "feature off", null));

    private FlagRequests() {}

    record CreateFlag(
            String key,
            String description,
            String ownerTeam,
            String kind,
            List<Treatment> treatments,
            List<String> tags,
            String offTreatment,
            Integer seed,
            Integer trafficSeed) {}

    record UpdateFlag(
            String description,
            String ownerTeam,
            String kind,
            List<Treatment> treatments,
            List<String> tags,
            Boolean archived) {}

    static void checkCommon(
            Violations v,
            Limits limits,
            String description,
            String ownerTeam,
            String kind,
            List<Treatment> treatments,
            List<String> tags) {
        v.maxLength("/description", description, 2000);
        v.maxLength("/ownerTeam", ownerTeam, 200);
        if (kind != null && !FlagKind.WIRE_NAMES.contains(kind)) {
            v.add("/kind", "must be one of " + FlagKind.WIRE_NAMES);
        }
        if (treatments != null) {
            if (treatments.isEmpty()) {
                v.add("/treatments", "needs at least one treatment");
            } else if (treatments.size() > limits.maxTreatments()) {
                v.add(
                        "/treatments",
                        "at most " + limits.maxTreatments() + " treatments are allowed, not " + treatments.size());
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < Math.min(treatments.size(), limits.maxTreatments()); i++) {
                Treatment t = treatments.get(i);
                if (t == null) {
                    v.add("/treatments/" + i, "must be an object");
                    continue;
                }
                v.requireKey("/treatments/" + i + "/name", t.name());
                v.maxLength("/treatments/" + i + "/description", t.description(), 2000);
                if (t.name() != null && !seen.add(t.name())) {
                    v.add("/treatments/" + i + "/name", "duplicate treatment '" + t.name() + "'");
                }
            }
        }
        if (tags != null) {
            for (int i = 0; i < tags.size(); i++) {
                String tag = tags.get(i);
                if (tag == null || tag.isBlank() || tag.length() > 64) {
                    v.add("/tags/" + i, "must be 1 to 64 characters");
                }
            }
        }
    }
}
