package dev.dimmer.server.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One change of anything, by whom, with the entity's JSON before and after. Never updated. */
@Entity
@Immutable
@Table(name = "audit_entries")
public class AuditEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(updatable = false)
    private Instant at;

    private String actor;

    private String action;

    @Column(name = "entity_type")
    private String entityType;

    @Column(name = "entity_key")
    private String entityKey;

    private String project;

    private String environment;

    private String flag;

    @JdbcTypeCode(SqlTypes.JSON)
    private String before;

    @JdbcTypeCode(SqlTypes.JSON)
    private String after;

    private String comment;

    protected AuditEntry() {}

    AuditEntry(
            Instant at, String actor, String action, AuditTarget target, String before, String after, String comment) {
        this.at = at;
        this.actor = actor;
        this.action = action;
        this.entityType = target.entityType();
        this.entityKey = target.entityKey();
        this.project = target.project();
        this.environment = target.environment();
        this.flag = target.flag();
        this.before = before;
        this.after = after;
        this.comment = comment;
    }

    public Long getId() {
        return id;
    }

    public Instant getAt() {
        return at;
    }

    public String getActor() {
        return actor;
    }

    public String getAction() {
        return action;
    }

    public String getEntityType() {
        return entityType;
    }

    public String getEntityKey() {
        return entityKey;
    }

    public String getProject() {
        return project;
    }

    public String getEnvironment() {
        return environment;
    }

    public String getFlag() {
        return flag;
    }

    public String getBefore() {
        return before;
    }

    public String getAfter() {
        return after;
    }

    public String getComment() {
        return comment;
    }
}
