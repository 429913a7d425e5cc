package dev.dimmer.server.sdkapi;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagRepository;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.EnvironmentRepository;
import dev.dimmer.server.segments.Segment;
import dev.dimmer.server.segments.SegmentKeys;
import dev.dimmer.server.segments.SegmentRepository;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.targeting.ConfigurationJson;
import dev.dimmer.server.targeting.FlagConfiguration;
import dev.dimmer.server.targeting.FlagConfigurationRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads everything an SDK needs for one environment. One repeatable-read transaction, so the
 * change number and the flags it describes are the same moment: a snapshot never pairs a new
 * number with old rules.
 */
@Component
public class SnapshotAssembler {

    private static final TypeReference<List<Condition>> CONDITIONS = new TypeReference<>() {};

    private final EnvironmentRepository environments;
    private final FlagRepository flags;
    private final FlagTreatments treatments;
    private final FlagConfigurationRepository configurations;
    private final ConfigurationJson configurationJson;
    private final SegmentRepository segments;
    private final SegmentKeys segmentKeys;
    private final JsonMapper json;

    SnapshotAssembler(
            EnvironmentRepository environments,
            FlagRepository flags,
            FlagTreatments treatments,
            FlagConfigurationRepository configurations,
            ConfigurationJson configurationJson,
            SegmentRepository segments,
            SegmentKeys segmentKeys,
            JsonMapper json) {
        this.environments = environments;
        this.flags = flags;
        this.treatments = treatments;
        this.configurations = configurations;
        this.configurationJson = configurationJson;
        this.segments = segments;
        this.segmentKeys = segmentKeys;
        this.json = json;
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Snapshot assemble(long environmentId) {
        Environment environment = environments
                .findById(environmentId)
                .orElseThrow(() -> ApiException.notFound("environment " + environmentId));
        Map<Long, Flag> active = flags.findByProjectIdAndArchivedFalse(environment.getProjectId()).stream()
                .collect(Collectors.toMap(Flag::getId, Function.identity()));
        List<FlagConfig> flagConfigs = new ArrayList<>();
        for (FlagConfiguration c : configurations.findByEnvironmentId(environmentId)) {
            Flag flag = active.get(c.getFlagId());
            if (flag != null) {
                flagConfigs.add(configurationJson.toWire(flag.getKey(), treatments.of(flag), c));
            }
        }
        flagConfigs.sort(Comparator.comparing(FlagConfig::key));
        List<SegmentDefinition> segmentDefinitions = new ArrayList<>();
        for (Segment s : segments.findByEnvironmentIdAndArchivedFalse(environmentId)) {
            segmentDefinitions.add(new SegmentDefinition(
                    s.getKey(), segmentKeys.all(s.getId()), json.readValue(s.getConditionsJson(), CONDITIONS)));
        }
        segmentDefinitions.sort(Comparator.comparing(SegmentDefinition::key));
        return new Snapshot(environment.getKey(), environment.getChangeNumber(), flagConfigs, segmentDefinitions);
    }
}
