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

/** A person who signs in to the console. The password is stored only as a BCrypt hash. */
@Entity
@Table(name = "users")
public class User {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String username;

    @Column(name = "password_hash")
    private String passwordHash;

    private String role;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] projects = new String[0];

    @Column(name = "created_at", updatable = false)
    private Instant createdAt = Instant.now();

    @Column(name = "disabled_at")
    private Instant disabledAt;

    @Column(name = "password_changed_at")
    private Instant passwordChangedAt;

    protected User() {}

    /** {@code passwordHash} comes from {@link Passwords#hash}. */
    public User(String username, String passwordHash, Role role, String[] projects) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role.wireName();
        this.projects = projects;
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    String getPasswordHash() {
        return passwordHash;
    }

    public Role getRole() {
        return Role.fromWire(role);
    }

    public String[] getProjects() {
        return projects;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public boolean isDisabled() {
        return disabledAt != null;
    }

    public Instant getDisabledAt() {
        return disabledAt;
    }

    public Instant getPasswordChangedAt() {
        return passwordChangedAt;
    }

    public void setRole(Role role) {
        this.role = role.wireName();
    }

    public void setProjects(String[] projects) {
        this.projects = projects;
    }

    /** Disabling keeps the user (and its history) but refuses its sign-ins and sessions. */
    public void setDisabledAt(Instant disabledAt) {
        this.disabledAt = disabledAt;
    }

    /** {@code passwordHash} comes from {@link Passwords#hash}. */
    public void changePassword(String passwordHash, Instant when) {
        this.passwordHash = passwordHash;
        this.passwordChangedAt = when;
    }
}
