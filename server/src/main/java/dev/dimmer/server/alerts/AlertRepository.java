package dev.dimmer.server.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

interface AlertRepository extends JpaRepository<Alert, Long>, JpaSpecificationExecutor<Alert> {

    /** The flag's unresolved alerts in the environment (at most one per kind and metric). */
    @Query("SELECT a FROM Alert a WHERE a.flagId = ?1 AND a.environmentId = ?2"
            + " AND a.status <> dev.dimmer.server.alerts.AlertStatus.RESOLVED")
    List<Alert> unresolved(long flagId, long environmentId);

    /** When a person last resolved this kind of alert of the flag here: a stale report must not reopen it. */
    @Query("SELECT max(a.resolvedAt) FROM Alert a WHERE a.flagId = ?1 AND a.environmentId = ?2 AND a.kind = ?3"
            + " AND a.metric = ?4 AND a.status = dev.dimmer.server.alerts.AlertStatus.RESOLVED"
            + " AND a.resolvedBy NOT LIKE 'system:%'")
    Optional<Instant> lastResolvedByPerson(long flagId, long environmentId, AlertKind kind, String metric);
}
