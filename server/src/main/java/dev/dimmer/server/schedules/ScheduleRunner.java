package dev.dimmer.server.schedules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs due scheduled changes as soon as the server is up (so one missed while every replica was down runs at the next
 * start) and then every {@code dimmer.schedules.interval} (default 15 s), on every replica: each change is claimed by
 * exactly one of them ({@link ScheduleExecutor}).
 */
@Component
class ScheduleRunner {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);

    /** A bound on one pass, so a flood of due changes cannot hold the scheduler thread for ever. */
    static final int MAX_PER_PASS = 1000;

    private final ScheduleExecutor executor;

    ScheduleRunner(ScheduleExecutor executor) {
        this.executor = executor;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        int ran = runDue();
        if (ran > 0) {
            log.info("ran {} scheduled change(s) that fell due while the server was down", ran);
        }
    }

    @Scheduled(
            initialDelayString = "${dimmer.schedules.interval:PT15S}",
            fixedDelayString = "${dimmer.schedules.interval:PT15S}")
    void runScheduled() {
        runDue();
    }

    /** Runs every change due now (at most {@value #MAX_PER_PASS} attempts); returns how many ran (applied or failed). */
    int runDue() {
        int ran = 0;
        for (int attempt = 0; attempt < MAX_PER_PASS; attempt++) {
            try {
                if (executor.runNextDue().isEmpty()) {
                    break;
                }
                ran++;
            } catch (OptimisticLockingFailureException e) {
                // A person changed the configuration while the change ran; the next attempt sees the new version.
                log.info("a scheduled change met a concurrent change of its flag; trying again");
            } catch (ScheduleExecutor.Refused e) {
                executor.failAfterRefusal(e.scheduleId(), e.getMessage());
                ran++;
            } catch (RuntimeException e) {
                log.error("running scheduled changes failed; will retry at the next pass", e);
                break;
            }
        }
        return ran;
    }
}
