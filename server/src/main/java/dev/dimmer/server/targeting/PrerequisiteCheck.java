package dev.dimmer.server.targeting;

import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagRepository;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.system.Violations;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Prerequisites must name existing, active flags of the same project and their treatments, and
 * must not form a cycle in the environment: evaluation relies on the graph being acyclic.
 */
@Component
class PrerequisiteCheck {

    private final FlagRepository flags;
    private final FlagTreatments treatments;
    private final FlagConfigurationRepository configurations;
    private final ConfigurationJson json;

    PrerequisiteCheck(
            FlagRepository flags,
            FlagTreatments treatments,
            FlagConfigurationRepository configurations,
            ConfigurationJson json) {
        this.flags = flags;
        this.treatments = treatments;
        this.configurations = configurations;
        this.json = json;
    }

    void check(Flag flag, Environment environment, List<Prerequisite> prerequisites, Violations v) {
        Map<Long, Flag> projectFlags = new HashMap<>();
        Map<String, Flag> byKey = new HashMap<>();
        for (Flag f : flags.findByProjectIdAndArchivedFalse(flag.getProjectId())) {
            projectFlags.put(f.getId(), f);
            byKey.put(f.getKey(), f);
        }
        boolean referencesValid = true;
        for (int i = 0; i < prerequisites.size(); i++) {
            Prerequisite p = prerequisites.get(i);
            String at = "/prerequisites/" + i;
            if (p == null || p.flag() == null) {
                v.add(at + "/flag", "is required");
                referencesValid = false;
                continue;
            }
            Flag required = byKey.get(p.flag());
            if (p.flag().equals(flag.getKey())) {
                v.add(at + "/flag", "a flag cannot be its own prerequisite");
                referencesValid = false;
            } else if (required == null) {
                v.add(at + "/flag", "unknown flag '" + p.flag() + "' in this project");
                referencesValid = false;
            } else {
                if (p.treatments().isEmpty()) {
                    v.add(at + "/treatments", "name at least one treatment of '" + p.flag() + "'");
                }
                List<String> known = treatments.namesOf(required);
                for (int j = 0; j < p.treatments().size(); j++) {
                    if (!known.contains(p.treatments().get(j))) {
                        v.add(
                                at + "/treatments/" + j,
                                "unknown treatment '" + p.treatments().get(j) + "' of flag '" + p.flag() + "'; known: "
                                        + known);
                    }
                }
            }
        }
        if (referencesValid) {
            cycle(flag, environment, prerequisites, projectFlags)
                    .ifPresent(path -> v.add("/prerequisites", "prerequisite cycle: " + String.join(" → ", path)));
        }
    }

    /** A path from this flag back to itself through the environment's prerequisites, if one exists. */
    private Optional<List<String>> cycle(
            Flag flag, Environment environment, List<Prerequisite> proposed, Map<Long, Flag> projectFlags) {
        Map<String, List<String>> edges = new HashMap<>();
        for (FlagConfiguration c : configurations.findByEnvironmentId(environment.getId())) {
            Flag owner = projectFlags.get(c.getFlagId());
            if (owner != null && !owner.getId().equals(flag.getId())) {
                edges.put(
                        owner.getKey(),
                        json.prerequisites(c).stream().map(Prerequisite::flag).toList());
            }
        }
        edges.put(flag.getKey(), proposed.stream().map(Prerequisite::flag).toList());
        Deque<List<String>> paths = new ArrayDeque<>();
        paths.push(List.of(flag.getKey()));
        Set<String> visited = new HashSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.pop();
            String last = path.get(path.size() - 1);
            for (String next : edges.getOrDefault(last, List.of())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                if (next.equals(flag.getKey())) {
                    return Optional.of(longer);
                }
                if (visited.add(next)) {
                    paths.push(longer);
                }
            }
        }
        return Optional.empty();
    }
}
