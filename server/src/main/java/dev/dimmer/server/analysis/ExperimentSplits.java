package dev.dimmer.server.analysis;

import dev.dimmer.sdk.eval.Labels;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.server.targeting.ConfigurationJson;
import dev.dimmer.server.targeting.FlagConfiguration;
import dev.dimmer.server.targeting.FlagConfigurationRepository;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Decides, in one place, which split of a flag is its experiment in an environment; the experiment report and the
 * exposure report both ask here, so they cannot disagree about who was randomised.
 *
 * <p>The rule: the split of the rule a person chose ({@link ExperimentSettings#splitRule()}) when that rule still
 * serves a split; otherwise the default rule's split; otherwise the first rule serving a split; otherwise none.
 */
@Component
public class ExperimentSplits {

    private final FlagConfigurationRepository configurations;
    private final ConfigurationJson configurationJson;
    private final JdbcTemplate jdbc;

    ExperimentSplits(
            FlagConfigurationRepository configurations, ConfigurationJson configurationJson, JdbcTemplate jdbc) {
        this.configurations = configurations;
        this.configurationJson = configurationJson;
        this.jdbc = jdbc;
    }

    /** The flag's experiment split in the environment, from its current configuration and settings. */
    public ExperimentSplit of(long flagId, long environmentId) {
        return configurations
                .findByFlagIdAndEnvironmentId(flagId, environmentId)
                .map(c -> of(c, settings(flagId, environmentId).splitRule()))
                .orElse(ExperimentSplit.NONE);
    }

    /** The split of {@code configuration} chosen by the rule above, with {@code splitRule} the person's choice. */
    ExperimentSplit of(FlagConfiguration configuration, String splitRule) {
        if (splitRule != null) {
            for (Rule rule : configurationJson.rules(configuration)) {
                if (splitRule.equals(rule.id()) && splits(rule.serve())) {
                    return ExperimentSplit.of(
                            Labels.rule(rule.id()),
                            Labels.rule(rule.id()),
                            rule.serve().split());
                }
            }
        }
        Serve defaultServe = configurationJson.defaultServe(configuration);
        if (splits(defaultServe)) {
            return ExperimentSplit.of("defaultServe", Labels.DEFAULT_RULE, defaultServe.split());
        }
        for (Rule rule : configurationJson.rules(configuration)) {
            if (splits(rule.serve())) {
                return ExperimentSplit.of(
                        Labels.rule(rule.id()),
                        Labels.rule(rule.id()),
                        rule.serve().split());
            }
        }
        return ExperimentSplit.NONE;
    }

    /** The flag's settings in the environment ({@link ExperimentSettings#DEFAULTS} when none were saved). */
    public ExperimentSettings settings(long flagId, long environmentId) {
        return jdbc
                .query(
                        "SELECT split_rule, expected_sample, minimum_detectable_effect, updated_at, updated_by"
                                + " FROM experiment_settings"
                                + " WHERE environment_id = ? AND flag_id = ?",
                        (rs, i) -> new ExperimentSettings(
                                rs.getString(1),
                                (Integer) rs.getObject(2),
                                (Double) rs.getObject(3),
                                rs.getTimestamp(4).toInstant(),
                                rs.getString(5)),
                        environmentId,
                        flagId)
                .stream()
                .findFirst()
                .orElse(ExperimentSettings.DEFAULTS);
    }

    void save(long flagId, long environmentId, ExperimentSettings settings) {
        jdbc.update(
                """
                INSERT INTO experiment_settings (environment_id, flag_id, split_rule, expected_sample,
                    minimum_detectable_effect, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (environment_id, flag_id) DO UPDATE SET split_rule = excluded.split_rule,
                    expected_sample = excluded.expected_sample,
                    minimum_detectable_effect = excluded.minimum_detectable_effect,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """,
                environmentId,
                flagId,
                settings.splitRule(),
                settings.expectedSample(),
                settings.minimumDetectableEffect(),
                settings.updatedAt().atOffset(ZoneOffset.UTC),
                settings.updatedBy());
    }

    private static boolean splits(Serve serve) {
        return serve != null && serve.hasSplit();
    }
}
