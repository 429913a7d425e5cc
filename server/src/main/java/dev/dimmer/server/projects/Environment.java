package dev.dimmer.server.projects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A stage of a project (development, staging, production) with its own flag configurations,
 * segments and SDK keys. {@code changeNumber} is bumped by {@link ChangeNumbers} only.
 */
@Entity
@Table(name = "environments")
public class Environment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "project_id")
    private Long projectId;

    private String key;

    private String name;

    @Column(name = "change_number", insertable = false, updatable = false)
    private long changeNumber;

    private boolean archived;

    @Column(name = "created_at", updatable = false)
    private Instant createdAt = Instant.now();

    protected Environment() {}

    public Environment(Long projectId, String key, String name) {
        this.projectId = projectId;
        this.key = key;
        this.name = name;
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

    public long getChangeNumber() {
        return changeNumber;
    }

    public boolean isArchived() {
        return archived;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    void update(String name, Boolean archived) {
        if (name != null) {
            this.name = name;
        }
        if (archived != null) {
            this.archived = archived;
        }
    }
}
