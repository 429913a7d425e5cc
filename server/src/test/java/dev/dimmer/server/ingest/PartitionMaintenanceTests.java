package dev.dimmer.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.IntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class PartitionMaintenanceTests {

    @Autowired
    PartitionMaintenance maintenance;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @AfterEach
    void restoreTheDefaultPartitions() throws Exception {
        maintenance.run(today, 90);
    }

    @Test
    void createsADayPartitionForEveryAcceptableTimeAtStartup() throws Exception {
        for (String table : PartitionMaintenance.TABLES) {
            assertThat(maintenance.days(table))
                    .as(table)
                    .contains(today.minusDays(31), today, today.plusDays(1), today.plusDays(2));
        }
    }

    @Test
    void dropsPartitionsOlderThanTheRetentionAndTheirRows() throws Exception {
        maintenance.ensureDays(today.minusDays(12), today.minusDays(10));
        jdbc.update(
                "INSERT INTO events (environment_id, key, type, time) VALUES (1, 'old', 't', ?)",
                java.sql.Timestamp.from(today.minusDays(11).atStartOfDay().toInstant(ZoneOffset.UTC)));
        jdbc.update("INSERT INTO events (environment_id, key, type, time) VALUES (1, 'recent', 't', now())");
        jdbc.update("INSERT INTO ingest_batches (environment_id, kind, batch_id, accepted, rejected, received_at)"
                + " VALUES (1, 'events', 'ancient', 1, 0, now() - interval '20 days')");

        PartitionMaintenance.Outcome outcome = maintenance.run(today, 5);

        assertThat(outcome.ran()).isTrue();
        assertThat(outcome.dropped())
                .contains("events_p" + today.minusDays(11).toString().replace("-", ""))
                .contains("impressions_p" + today.minusDays(6).toString().replace("-", ""))
                .doesNotContain("events_p" + today.minusDays(5).toString().replace("-", ""));
        for (String table : PartitionMaintenance.TABLES) {
            List<LocalDate> days = maintenance.days(table);
            assertThat(days.get(0)).as(table).isEqualTo(today.minusDays(5));
            assertThat(days.get(days.size() - 1)).as(table).isEqualTo(today.plusDays(2));
            assertThat(days).hasSize(8);
        }
        assertThat(jdbc.queryForList("SELECT key FROM events WHERE environment_id = 1", String.class))
                .containsExactly("recent");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ingest_batches WHERE batch_id = 'ancient'", Long.class))
                .isZero();
    }

    @Test
    void createsMissingDaysAheadOnTheNextRun() throws Exception {
        LocalDate later = today.plusDays(3);
        PartitionMaintenance.Outcome outcome = maintenance.run(later, 90);
        assertThat(outcome.created())
                .contains("events_p" + later.plusDays(2).toString().replace("-", ""));
        assertThat(maintenance.days("impressions")).contains(later.plusDays(2));
        for (String created : outcome.created()) {
            if (created.compareTo("events_p" + today.plusDays(2).toString().replace("-", "")) > 0
                            && created.startsWith("events")
                    || created.compareTo("impressions_p"
                                            + today.plusDays(2).toString().replace("-", ""))
                                    > 0
                            && created.startsWith("impressions")) {
                jdbc.execute("DROP TABLE " + created); // back to the usual horizon for the other tests
            }
        }
    }

    @Test
    void runsOnOneReplicaAtATime() throws Exception {
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement s = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                s.setLong(1, PartitionMaintenance.LOCK);
                s.execute();
            }
            assertThat(maintenance.run(today, 5).ran())
                    .as("another replica holds the lock")
                    .isFalse();
            other.rollback();
        }
        assertThat(maintenance.days("events")).contains(today.minusDays(31));
    }
}
