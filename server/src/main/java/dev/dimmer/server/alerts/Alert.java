package dev.dimmer.server.alerts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One alert about a flag in an environment (see V85__alerts.sql). The numbers are the latest cycle's: a later cycle
 * overwrites them rather than opening a second alert.
 */
@Entity
@Table(name = "alerts")
class Alert {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "project_id")
    private long projectId;

    @Column(name = "environment_id")
    private long environmentId;

    @Column(name = "flag_id")
    private long flagId;

    @Enumerated(EnumType.STRING)
    private AlertKind kind;

    private String metric;

    @Enumerated(EnumType.STRING)
    private AlertStatus status;

    private String severity;

    private String treatment;

    private Double effect;

    @Column(name = "ci_lower")
    private Double ciLower;

    @Column(name = "ci_upper")
    private Double ciUpper;

    @Column(name = "p_value")
    private Double pValue;

    /** JSON object treatment → users. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "users_per_arm")
    private String usersPerArm;

    private String summary;

    private String action;

    @Column(name = "action_at")
    private Instant actionAt;

    @Column(name = "action_by")
    private String actionBy;

    @Column(name = "clear_cycles")
    private int clearCycles;

    @Column(name = "opened_at")
    private Instant openedAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "acknowledged_at")
    private Instant acknowledgedAt;

    @Column(name = "acknowledged_by")
    private String acknowledgedBy;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    @Column(name = "resolved_by")
    private String resolvedBy;

    private String comment;

    protected Alert() {}

    Alert(Subject subject, Finding finding, String usersPerArmJson, Instant now) {
        this.projectId = subject.projectId();
        this.environmentId = subject.environmentId();
        this.flagId = subject.flagId();
        this.kind = finding.kind();
        this.metric = finding.metric();
        this.status = AlertStatus.OPEN;
        this.openedAt = now;
        record(finding, usersPerArmJson, now);
    }

    /** The latest cycle's numbers; the condition holds again, so the count of clear cycles starts over. */
    void record(Finding finding, String usersPerArmJson, Instant now) {
        this.severity = finding.severity();
        this.treatment = finding.treatment();
        this.effect = finding.effect();
        this.ciLower = finding.ciLower();
        this.ciUpper = finding.ciUpper();
        this.pValue = finding.pValue();
        this.usersPerArm = usersPerArmJson;
        this.summary = finding.summary();
        this.clearCycles = 0;
        this.updatedAt = now;
    }

    /** One more cycle with the condition clear; returns the count. */
    int clearCycle(Instant now) {
        this.clearCycles++;
        this.updatedAt = now;
        return clearCycles;
    }

    void acknowledge(String by, String comment, Instant now) {
        this.status = AlertStatus.ACKNOWLEDGED;
        this.acknowledgedAt = now;
        this.acknowledgedBy = by;
        this.comment = comment;
        this.updatedAt = now;
    }

    void resolve(String by, String comment, Instant now) {
        this.status = AlertStatus.RESOLVED;
        this.resolvedAt = now;
        this.resolvedBy = by;
        if (comment != null) {
            this.comment = comment;
        }
        this.updatedAt = now;
    }

    /**
     * @param by who killed the flag: {@code guardrail:<metric>}, {@code plan:<id>} or a person
     * @param at when (the kill's own time, which may precede the alert)
     */
    void killed(String by, Instant at, Instant now) {
        this.action = "KILLED";
        this.actionBy = by;
        this.actionAt = at;
        this.updatedAt = now;
    }

    Long getId() {
        return id;
    }

    long getProjectId() {
        return projectId;
    }

    long getEnvironmentId() {
        return environmentId;
    }

    long getFlagId() {
        return flagId;
    }

    AlertKind getKind() {
        return kind;
    }

    String getMetric() {
        return metric;
    }

    AlertStatus getStatus() {
        return status;
    }

    String getSeverity() {
        return severity;
    }

    String getTreatment() {
        return treatment;
    }

    Double getEffect() {
        return effect;
    }

    Double getCiLower() {
        return ciLower;
    }

    Double getCiUpper() {
        return ciUpper;
    }

    Double getPValue() {
        return pValue;
    }

    String getUsersPerArm() {
        return usersPerArm;
    }

    String getSummary() {
        return summary;
    }

    String getAction() {
        return action;
    }

    Instant getActionAt() {
        return actionAt;
    }

    String getActionBy() {
        return actionBy;
    }

    int getClearCycles() {
        return clearCycles;
    }

    Instant getOpenedAt() {
        return openedAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    Instant getAcknowledgedAt() {
        return acknowledgedAt;
    }

    String getAcknowledgedBy() {
        return acknowledgedBy;
    }

    Instant getResolvedAt() {
        return resolvedAt;
    }

    String getResolvedBy() {
        return resolvedBy;
    }

    String getComment() {
        return comment;
    }
}
