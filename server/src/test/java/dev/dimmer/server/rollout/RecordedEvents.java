package dev.dimmer.server.rollout;

import dev.dimmer.server.schedules.ScheduleApplied;
import dev.dimmer.server.schedules.ScheduleFailed;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;

/**
 * Records the plan and schedule events the server publishes (as guard-alerts' notifications will receive them), and
 * can make the listener fail once for a plan or a schedule, to show that a step whose transaction fails at its very
 * end leaves nothing behind.
 */
public class RecordedEvents {

    public final List<PlanTransition> transitions = new CopyOnWriteArrayList<>();
    public final List<ScheduleApplied> applied = new CopyOnWriteArrayList<>();
    public final List<ScheduleFailed> failed = new CopyOnWriteArrayList<>();
    private final Set<String> failNextPlanStep = ConcurrentHashMap.newKeySet();
    private final Set<Long> failNextSchedule = ConcurrentHashMap.newKeySet();

    /** Makes the next {@code kind} step of the plan fail at its very end (when its event is published). */
    public void failNext(long planId, PlanTransition.Kind kind) {
        failNextPlanStep.add(planId + "/" + kind);
    }

    /** Whether an injected failure is still waiting to happen. */
    public boolean failurePending(long planId, PlanTransition.Kind kind) {
        return failNextPlanStep.contains(planId + "/" + kind);
    }

    public boolean failurePending(long scheduleId) {
        return failNextSchedule.contains(scheduleId);
    }

    public void failNextRunOf(long scheduleId) {
        failNextSchedule.add(scheduleId);
    }

    @EventListener
    void on(PlanTransition transition) {
        if (failNextPlanStep.remove(transition.planId() + "/" + transition.kind())) {
            throw new IllegalStateException("injected failure at the end of a step of plan " + transition.planId());
        }
        transitions.add(transition);
    }

    @EventListener
    void on(ScheduleApplied event) {
        if (failNextSchedule.remove(event.scheduleId())) {
            throw new IllegalStateException("injected failure at the end of scheduled change " + event.scheduleId());
        }
        applied.add(event);
    }

    @EventListener
    void on(ScheduleFailed event) {
        failed.add(event);
    }

    public List<PlanTransition> of(long planId) {
        return transitions.stream().filter(t -> t.planId() == planId).toList();
    }
}
