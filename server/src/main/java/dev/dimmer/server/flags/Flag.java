package dev.dimmer.server.flags;

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
 * A flag as defined once per project: what it is, who owns it and which treatments it can serve.
 * How it is served is configured per environment (see the targeting package).
 */
@Entity
@Table(name = "flags")
public class Flag {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "project_id")
    private Long projectId;

    private String key;

    private String description = "";

    @Column(name = "owner_team")
    private String ownerTeam = "";

    private String kind;

    /** JSON array of {@code dev.dimmer.sdk.snapshot.Treatment}. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String treatments;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] tags = new String[0];

    private boolean archived;

    /** Starts at 1 like the column default; Hibernate bumps it on every update. */
    @Version
    private long version = 1;

    @Column(name = "created_at", updatable = false)
    private Instant createdAt = Instant.now();

    @Column(name = "updated_at")
    private Instant updatedAt = Instant.now();

    protected Flag() {}

    Flag(
            Long projectId,
            String key,
            String description,
            String ownerTeam,
            String kind,
            String treatments,
            String[] tags) {
        this.projectId = projectId;
        this.key = key;
        this.description = description;
        this.ownerTeam = ownerTeam;
        this.kind = kind;
        this.treatments = treatments;
        this.tags = tags;
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

    public String getDescription() {
        return description;
    }

    public String getOwnerTeam() {
        return ownerTeam;
    }

    public String getKind() {
        return kind;
    }

    public String getTreatmentsJson() {
        return treatments;
    }

    public String[] getTags() {
        return tags;
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

    void setDescription(String description) {
        this.description = description;
    }

    void setOwnerTeam(String ownerTeam) {
        this.ownerTeam = ownerTeam;
    }

    void setKind(String kind) {
        this.kind = kind;
    }

    void setTreatmentsJson(String treatments) {
        this.treatments = treatments;
    }

    void setTags(String[] tags) {
        this.tags = tags;
    }

    void setArchived(boolean archived) {
        this.archived = archived;
    }

    void touch() {
        this.updatedAt = Instant.now();
    }
}
