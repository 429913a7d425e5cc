package dev.dimmer.server.sdkapi;

import dev.dimmer.server.projects.ChangeNumbers;
import dev.dimmer.server.projects.EnvironmentChanged;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Every replica's view of each environment's latest change number, fed by PostgreSQL
 * {@code LISTEN dimmer_changes}: a change committed on any replica reaches every replica's SDK
 * streams without polling, and the snapshot 304 path answers from memory.
 *
 * <p>The listener holds one dedicated connection outside the pool (a pooled connection would be
 * handed to others). While it is disconnected the feed reports itself unhealthy and readers fall
 * back to asking the database, so a lost notification can never make a replica serve a stale
 * "not modified". After a reconnect every cached number is dropped for the same reason.
 */
@Component
class ChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int POLL_MILLIS = 500;

    private final JdbcTemplate jdbc;
    private final String url;
    private final String username;
    private final String password;
    private final Map<Long, Long> latest = new ConcurrentHashMap<>();
    private final List<BiConsumer<Long, Long>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean healthy;
    private volatile boolean running;
    private Thread thread;

    ChangeFeed(
            JdbcTemplate jdbc,
            @Value("${spring.datasource.url}") String url,
            @Value("${spring.datasource.username:}") String username,
            @Value("${spring.datasource.password:}") String password) {
        this.jdbc = jdbc;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** Called with (environmentId, changeNumber) for every change, on the listener thread: return quickly. */
    void subscribe(BiConsumer<Long, Long> listener) {
        listeners.add(listener);
    }

    /** The environment's current change number: from memory while the feed is live, else from the database. */
    long current(long environmentId) {
        if (healthy) {
            Long known = latest.get(environmentId);
            if (known != null) {
                return known;
            }
        }
        Long fromDatabase =
                jdbc.queryForObject("SELECT change_number FROM environments WHERE id = ?", Long.class, environmentId);
        long value = fromDatabase == null ? 0 : fromDatabase;
        if (healthy) {
            latest.merge(environmentId, value, Math::max);
        }
        return value;
    }

    /**
     * This replica's own commits are known at once, without waiting for the notification's round
     * trip: whoever changes a flag and then reads the snapshot from the same replica sees the change.
     * Monotonic ({@code max}), so the notification arriving later, or out of order, changes nothing.
     * {@link ChangeNumbers#bump} publishes the event inside the writing transaction; this runs once it
     * committed, on the writer's thread, before its response is sent.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void onLocalCommit(EnvironmentChanged change) {
        if (healthy) {
            latest.merge(change.environmentId(), change.changeNumber(), Math::max);
        }
    }

    boolean isHealthy() {
        return healthy;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listenLoop, "dimmer-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listenLoop() {
        long backoffMillis = 100;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + ChangeNumbers.CHANNEL);
                }
                latest.clear();
                healthy = true;
                if (backoffMillis > 100) {
                    log.info("Change feed reconnected");
                }
                backoffMillis = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            dispatch(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // Any failure, not only SQLException (a driver's runtime exception, a bad notification): a feed
                // thread that died would leave the replica unhealthy for good.
                if (!running) {
                    return;
                }
                if (healthy || backoffMillis == 100) {
                    log.warn(
                            "Change feed lost its database connection; SDK reads fall back to the database: {}",
                            e.toString());
                }
                healthy = false;
                sleep(backoffMillis + ThreadLocalRandom.current().nextLong(backoffMillis));
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
        healthy = false;
    }

    private void dispatch(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        try {
            long environmentId = Long.parseLong(payload.substring(0, colon));
            long changeNumber = Long.parseLong(payload.substring(colon + 1));
            latest.merge(environmentId, changeNumber, Math::max);
            for (BiConsumer<Long, Long> listener : listeners) {
                try {
                    listener.accept(environmentId, changeNumber);
                } catch (RuntimeException e) {
                    log.warn("Change listener failed", e);
                }
            }
        } catch (NumberFormatException e) {
            log.warn("Ignoring malformed change notification '{}'", payload);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
