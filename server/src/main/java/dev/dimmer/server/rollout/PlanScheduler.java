package dev.dimmer.server.rollout;

import dev.dimmer.server.system.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks every active plan every {@code dimmer.rollout.interval} (default 30 s), each in its own transaction, on every
 * replica: {@link PlanStepper} claims a plan's row with {@code FOR UPDATE SKIP LOCKED}, so whichever replica gets there
 * first checks it and the others pass it by. A failure in one plan's check does not stop the others: healthy flags
 * keep ramping while a sick one is stopped.
 */
@Component
class PlanScheduler {

    private static final Logger log = LoggerFactory.getLogger(PlanScheduler.class);

    private final PlanRepository plans;
    private final PlanStepper stepper;

    PlanScheduler(PlanRepository plans, PlanStepper stepper) {
        this.plans = plans;
        this.stepper = stepper;
    }

    @Scheduled(
            initialDelayString = "${dimmer.rollout.interval:PT30S}",
            fixedDelayString = "${dimmer.rollout.interval:PT30S}")
    void runScheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("rollout plan check failed; will retry at the next interval", e);
        }
    }

    /** Checks every active plan once. */
    void runOnce() {
        for (long id : plans.activeIds()) {
            try {
                stepper.step(id);
            } catch (OptimisticLockingFailureException e) {
                // Someone changed the configuration while the step ran; the next check sees their change.
                log.info("rollout plan {}: the configuration changed during the check; checking again next time", id);
            } catch (ApiException e) {
                if (e.status() == HttpStatus.PRECONDITION_FAILED) {
                    log.info("rollout plan {}: {}; checking again next time", id, e.getMessage());
                } else {
                    log.warn("rollout plan {}: step refused ({}); halting the plan", id, e.describe());
                    stepper.haltAfterFailure(id, e.describe());
                }
            } catch (RuntimeException e) {
                log.error("rollout plan {}: check failed; will retry", id, e);
            }
        }
    }
}
