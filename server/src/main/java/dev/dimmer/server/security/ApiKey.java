package dev.dimmer.server.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An SDK key or an admin token; only the SHA-256 of its secret is kept. */
@Entity
@Table(name = "api_keys")
public class ApiKey {

    public static final String SDK = "sdk";
    public static final String ADMIN = "admin";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String kind;

    private String name;

    @Column(name = "secret_hash")
    private String secretHash;

    @Column(name = "secret_prefix")
    private String secretPrefix;

    @Column(name = "environment_id")
    private Long environmentId;

    private String role;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] projects = new String[0];

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "created_at", updatable = false)
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKey() {}

    /** {@code secret} is hashed here; it is never stored. */
    public ApiKey(
            String kind,
            String name,
            String secret,
            Long environmentId,
            String role,
            String[] projects,
            String createdBy) {
        this.kind = kind;
        this.name = name;
        this.secretHash = Secrets.hash(secret);
        this.secretPrefix = Secrets.displayPrefix(secret);
        this.environmentId = environmentId;
        this.role = role;
        this.projects = projects;
        this.createdBy = createdBy;
        this.createdAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public String getKind() {
        return kind;
    }

    public String getName() {
        return name;
    }

    public String getSecretPrefix() {
        return secretPrefix;
    }

    public Long getEnvironmentId() {
        return environmentId;
    }

    public String getRole() {
        return role;
    }

    public String[] getProjects() {
        return projects;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public void revoke(Instant when) {
        this.revokedAt = when;
    }
}
