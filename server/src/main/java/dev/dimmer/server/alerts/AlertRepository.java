package dev.dimmer.server.alerts;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface AlertRepository extends JpaRepository<Alert, Long>, JpaSpecificationExecutor<Alert> {

    /**
     * The flag's unresolved alerts in the environment (at most one per kind and metric), locked until the transaction
     * ends: a person's acknowledgement and a cycle's update of the same alert take turns instead of overwriting each
     * other.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT a FROM Alert a WHERE a.flagId = ?1 AND a.environmentId = ?2"
            + " AND a.status <> dev.dimmer.server.alerts.AlertStatus.RESOLVED")
    List<Alert> unresolved(long flagId, long environmentId);

    /** The alert, locked until the transaction ends (see {@link #unresolved}). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT a FROM Alert a WHERE a.id = ?1")
    Optional<Alert> findForUpdate(long id);

    /** Unresolved alerts whose flag, environment or project was archived since: nothing judges them any more. */
    @Query(
            value = "SELECT a.* FROM alerts a JOIN flags f ON f.id = a.flag_id JOIN environments e ON e.id ="
                    + " a.environment_id JOIN projects p ON p.id = a.project_id WHERE a.status <> 'RESOLVED'"
                    + " AND (f.archived OR e.archived OR p.archived) FOR UPDATE OF a",
            nativeQuery = true)
    List<Alert> unresolvedOfArchived();

    /** When a person last resolved this kind of alert of the flag here: a stale report must not reopen it. */
    @Query("SELECT max(a.resolvedAt) FROM Alert a WHERE a.flagId = ?1 AND a.environmentId = ?2 AND a.kind = ?3"
            + " AND a.metric = ?4 AND a.status = dev.dimmer.server.alerts.AlertStatus.RESOLVED"
            + " AND a.resolvedBy NOT LIKE 'system:%'")
    Optional<Instant> lastResolvedByPerson(long flagId, long environmentId, AlertKind kind, String metric);
}
