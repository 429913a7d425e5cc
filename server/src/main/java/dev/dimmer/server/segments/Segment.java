package dev.dimmer.server.segments;

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

/** A reusable audience of one environment; its explicit keys live in {@code segment_keys}. */
@Entity
@Table(name = "segments")
public class Segment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "environment_id")
    private Long environmentId;

    private String key;

    private String description = "";

    /** JSON array of {@code dev.dimmer.sdk.snapshot.Condition}. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String conditions = "[]";

    private boolean archived;

    /** Starts at 1 like the column default; Hibernate bumps it on every update. */
    @Version
    private long version = 1;

    @Column(name = "created_at", updatable = false)
    private Instant createdAt = Instant.now();

    @Column(name = "updated_at")
    private Instant updatedAt = Instant.now();

    protected Segment() {}

    Segment(Long environmentId, String key, String description, String conditions) {
        this.environmentId = environmentId;
        this.key = key;
        this.description = description;
        this.conditions = conditions;
    }

    public Long getId() {
        return id;
    }

    public Long getEnvironmentId() {
        return environmentId;
    }

    public String getKey() {
        return key;
    }

    public String getDescription() {
        return description;
    }

    public String getConditionsJson() {
        return conditions;
    }

    public boolean isArchived() {
        return archived;
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

    void update(String description, String conditions, Boolean archived) {
        if (description != null) {
            this.description = description;
        }
        if (conditions != null) {
            this.conditions = conditions;
        }
        if (archived != null) {
            this.archived = archived;
        }
        touch();
    }

    /** Key list changes live in another table; touching the segment still bumps its version. */
    void touch() {
        this.updatedAt = Instant.now();
    }
}
