package dev.dimmer.server.targeting;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * How one flag is served in one environment. {@code version} is the optimistic lock behind the
 * API's ETag/If-Match: of two updates made against the same version, exactly one wins.
 */
@Entity
@Table(name = "flag_configs")
public class FlagConfiguration {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "flag_id")
    private Long flagId;

    @Column(name = "environment_id")
    private Long environmentId;

    private boolean enabled;

    private boolean killed;

    @Column(name = "off_treatment")
    private String offTreatment;

    /** JSON array of {@code dev.dimmer.sdk.snapshot.Rule}. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String rules;

    /** JSON {@code dev.dimmer.sdk.snapshot.Serve}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "default_serve")
    private String defaultServe;

    @Column(name = "traffic_allocation")
    private int trafficAllocation;

    private int seed;

    @Column(name = "traffic_seed")
    private int trafficSeed;

    /** JSON array of {@code dev.dimmer.sdk.snapshot.Prerequisite}. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String prerequisites;

    /** Starts at 1 like the column default; Hibernate bumps it on every update. */
    @Version
    private long version = 1;

    @Column(name = "updated_at")
    private Instant updatedAt = Instant.now();

    protected FlagConfiguration() {}

    FlagConfiguration(
            Long flagId, Long environmentId, String offTreatment, String defaultServe, int seed, int trafficSeed) {
        this.flagId = flagId;
        this.environmentId = environmentId;
        this.offTreatment = offTreatment;
        this.rules = "[]";
        this.defaultServe = defaultServe;
        this.trafficAllocation = 10_000;
        this.seed = seed;
        this.trafficSeed = trafficSeed;
        this.prerequisites = "[]";
    }

    public Long getId() {
        return id;
    }

    public Long getFlagId() {
        return flagId;
    }

    public Long getEnvironmentId() {
        return environmentId;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public boolean isKilled() {
        return killed;
    }

    public String getOffTreatment() {
        return offTreatment;
    }

    public String getRulesJson() {
        return rules;
    }

    public String getDefaultServeJson() {
        return defaultServe;
    }

    public int getTrafficAllocation() {
        return trafficAllocation;
    }

    public int getSeed() {
        return seed;
    }

    public int getTrafficSeed() {
        return trafficSeed;
    }

    public String getPrerequisitesJson() {
        return prerequisites;
    }

    public long getVersion() {
        return version;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    void replace(
            boolean enabled,
            String offTreatment,
            String rules,
            String defaultServe,
            int trafficAllocation,
            int seed,
            int trafficSeed,
            String prerequisites) {
        this.enabled = enabled;
        this.offTreatment = offTreatment;
        this.rules = rules;
        this.defaultServe = defaultServe;
        this.trafficAllocation = trafficAllocation;
        this.seed = seed;
        this.trafficSeed = trafficSeed;
        this.prerequisites = prerequisites;
        this.updatedAt = Instant.now();
    }

    void setKilled(boolean killed) {
        this.killed = killed;
        this.updatedAt = Instant.now();
    }
}
