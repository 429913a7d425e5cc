package dev.dimmer.server.targeting;

import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagChanging;
import dev.dimmer.server.flags.FlagCreated;
import dev.dimmer.server.flags.FlagRepository;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.EnvironmentCreated;
import dev.dimmer.server.projects.EnvironmentRepository;
import dev.dimmer.server.segments.SegmentArchiving;
import dev.dimmer.server.system.ApiException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps every (flag, environment) pair configured: a new flag starts disabled in every environment
 * and a new environment gets every flag, disabled. A flag has the same seeds in every environment
 * so a user lands in the same bucket from staging to production.
 */
@Component
class TargetingSetup {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EnvironmentRepository environments;
    private final FlagRepository flags;
    private final FlagTreatments treatments;
    private final FlagConfigurationRepository configurations;
    private final ConfigurationJson json;

    TargetingSetup(
            EnvironmentRepository environments,
            FlagRepository flags,
            FlagTreatments treatments,
            FlagConfigurationRepository configurations,
            ConfigurationJson json) {
        this.environments = environments;
        this.flags = flags;
        this.treatments = treatments;
        this.configurations = configurations;
        this.json = json;
    }

    @EventListener
    void onFlagCreated(FlagCreated event) {
        int seed = event.seed() != null ? event.seed() : RANDOM.nextInt();
        int trafficSeed = event.trafficSeed() != null ? event.trafficSeed() : RANDOM.nextInt();
        String defaultServe = json.write(Serve.fixed(event.offTreatment()));
        for (Environment environment : environments.findByProjectIdOrderByIdAsc(event.projectId())) {
            configurations.save(new FlagConfiguration(
                    event.flagId(), environment.getId(), event.offTreatment(), defaultServe, seed, trafficSeed));
        }
    }

    @EventListener
    void onEnvironmentCreated(EnvironmentCreated event) {
        for (Flag flag : flags.findByProjectIdOrderByKeyAsc(event.projectId())) {
            List<FlagConfiguration> existing = configurations.findByFlagId(flag.getId());
            List<String> names = treatments.namesOf(flag);
            String off = names.contains("off") ? "off" : names.get(0);
            int seed = existing.isEmpty() ? RANDOM.nextInt() : existing.get(0).getSeed();
            int trafficSeed =
                    existing.isEmpty() ? RANDOM.nextInt() : existing.get(0).getTrafficSeed();
            configurations.save(new FlagConfiguration(
                    flag.getId(), event.environmentId(), off, json.write(Serve.fixed(off)), seed, trafficSeed));
        }
    }

    /** Refuses to remove a treatment, or archive a flag, that a configuration still uses. */
    @EventListener
    void onFlagChanging(FlagChanging event) {
        List<String> problems = new ArrayList<>();
        Map<Long, String> environmentKeys = environments.findByProjectIdOrderByIdAsc(event.projectId()).stream()
                .collect(Collectors.toMap(Environment::getId, Environment::getKey));
        for (Flag other : flags.findByProjectIdAndArchivedFalse(event.projectId())) {
            for (FlagConfiguration c : configurations.findByFlagId(other.getId())) {
                String where = "'" + other.getKey() + "' in '" + environmentKeys.get(c.getEnvironmentId()) + "'";
                if (other.getId() == event.flagId()) {
                    Set<String> used = treatmentsUsed(c);
                    used.retainAll(event.removedTreatments());
                    if (!used.isEmpty()) {
                        problems.add(where + " still serves " + used);
                    }
                    continue;
                }
                for (Prerequisite p : json.prerequisites(c)) {
                    if (p.flag().equals(event.flagKey())
                            && (event.archiving()
                                    || p.treatments().stream().anyMatch(event.removedTreatments()::contains))) {
                        problems.add(where + " has it as a prerequisite");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.conflict(
                    "flag '" + event.flagKey() + "' is still in use: " + String.join("; ", problems));
        }
    }

    /** Refuses to archive a segment that a flag configuration of its environment still targets. */
    @EventListener
    void onSegmentArchiving(SegmentArchiving event) {
        List<String> users = new ArrayList<>();
        for (FlagConfiguration c : configurations.findByEnvironmentId(event.environmentId())) {
            boolean uses = json.rules(c).stream()
                    .flatMap(rule -> rule.conditions().stream())
                    .anyMatch(condition -> "IN_SEGMENT".equals(condition.operator())
                            && condition.values().contains(event.segmentKey()));
            if (uses) {
                flags.findById(c.getFlagId()).ifPresent(flag -> users.add(flag.getKey()));
            }
        }
        if (!users.isEmpty()) {
            throw ApiException.conflict("segment '" + event.segmentKey() + "' is still targeted by flags "
                    + users.stream().sorted().toList());
        }
    }

    private Set<String> treatmentsUsed(FlagConfiguration c) {
        Stream<Serve> serves = Stream.concat(json.rules(c).stream().map(Rule::serve), Stream.of(json.defaultServe(c)));
        return Stream.concat(
                        Stream.of(c.getOffTreatment()),
                        serves.filter(s -> s != null)
                                .flatMap(s -> s.hasSplit()
                                        ? s.split().stream().map(Split::treatment)
                                        : Stream.of(s.treatment())))
                .collect(Collectors.toSet());
    }
}
