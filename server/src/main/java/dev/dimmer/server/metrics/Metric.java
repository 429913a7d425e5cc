package dev.dimmer.server.metrics;

import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.Direction;
import dev.dimmer.server.stats.MetricDefinition;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** What a project measures: which events, aggregated how, and which way is better. */
@Entity
@Table(name = "metrics")
public class Metric {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "project_id")
    private Long projectId;

    private String key;

    private String name;

    private String description = "";

    @Column(name = "event_type")
    private String eventType;

    @Enumerated(EnumType.STRING)
    private Aggregation aggregation;

    @Enumerated(EnumType.STRING)
    private Direction direction;

    private boolean guardrail;

    private double margin;

    @Column(name = "kill_threshold")
    private Double killThreshold;

    private boolean cuped;

    private boolean archived;

    /**
     * The version of the definition (event type, aggregation, direction, guardrail, margin, CUPED; {@link
     * MetricVersion}): a new one once an experiment using the metric has started, else the same one edited in place.
     */
    @Column(name = "definition_version")
    private int definitionVersion = 1;

    /** Starts at 1 like the column default; Hibernate bumps it on every update. */
    @Version
    private long version = 1;

    @Column(name = "created_at", updatable = false)
    private Instant createdAt = Instant.now();

    @Column(name = "updated_at")
    private Instant updatedAt = Instant.now();

    protected Metric() {}

    Metric(Long projectId, String key) {
        this.projectId = projectId;
        this.key = key;
    }

    /** The statistics engine's view of this metric. */
    public MetricDefinition definition() {
        return new MetricDefinition(key, name, aggregation, direction, guardrail, margin, killThreshold, cuped);
    }

    public Long getId() {
        return id;
    }

    public Long getProjectId() {
        return projectId;
    }

    public String getKey() {
        return key;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public String getEventType() {
        return eventType;
    }

    public Aggregation getAggregation() {
        return aggregation;
    }

    public Direction getDirection() {
        return direction;
    }

    public boolean isGuardrail() {
        return guardrail;
    }

    public double getMargin() {
        return margin;
    }

    public Double getKillThreshold() {
        return killThreshold;
    }

    public boolean isCuped() {
        return cuped;
    }

    public boolean isArchived() {
        return archived;
    }

    public int getDefinitionVersion() {
        return definitionVersion;
    }

    void nextDefinitionVersion() {
        definitionVersion++;
    }

    public long getVersion() {
        return version;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    void apply(MetricRequest request) {
        if (request.name() != null) name = request.name();
        if (request.description() != null) description = request.description();
        if (request.eventType() != null) eventType = request.eventType();
        if (request.aggregation() != null) aggregation = Aggregation.valueOf(request.aggregation());
        if (request.direction() != null) direction = Direction.valueOf(request.direction());
        if (request.guardrail() != null) guardrail = request.guardrail();
        if (request.margin() != null) margin = request.margin();
        if (request.killThreshold() != null) killThreshold = request.killThreshold();
        if (request.cuped() != null) cuped = request.cuped();
        updatedAt = Instant.now();
    }

    void setArchived(boolean archived) {
        this.archived = archived;
        updatedAt = Instant.now();
    }
}
