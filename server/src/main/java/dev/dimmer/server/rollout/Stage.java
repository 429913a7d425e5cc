package dev.dimmer.server.rollout;

import java.time.Duration;
import java.util.List;

/**
 * One stage of a rollout plan: who is exposed, and what must hold before the plan moves past it.
 *
 * @param segments segments served the treatment by the plan's rule from this stage on (stages are cumulative: a
 *     later stage keeps every earlier stage's segments)
 * @param weight basis points of the default split served the treatment (100 = 1 %); never lower than an earlier
 *     stage's, so a ramp only adds users
 * @param minDuration the least time the plan stays at this stage
 * @param minSamplePerArm the least users per arm in the latest report before the plan moves on (0: do not wait for a
 *     report)
 * @param requiresApproval a person must approve before the plan enters this stage
 */
record Stage(
        String name,
        List<String> segments,
        int weight,
        Duration minDuration,
        long minSamplePerArm,
        boolean requiresApproval) {

    Stage {
        segments = List.copyOf(segments);
    }
}
