package dev.dimmer.server.exposure;

import dev.dimmer.server.system.Violations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time range and bucket size of an exposure report: {@code [from, to)}, buckets aligned to whole UTC minutes,
 * hours or days (the first bucket may start before {@code from}; it counts only what lies in the range).
 */
record ReportWindow(Instant from, Instant to, String interval, ChronoUnit unit) {

    static final int MAX_BUCKETS = 2000;
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    static ReportWindow of(String from, String to, String interval, Instant now) {
        Violations v = new Violations();
        Instant end = to == null ? now : v.instant("/to", to);
        Instant start = from == null ? (end == null ? null : end.minus(DEFAULT_RANGE)) : v.instant("/from", from);
        String name = interval == null ? "hour" : interval;
        ChronoUnit unit = switch (name) {
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            default -> null;
        };
        if (unit == null) {
            v.add("/interval", "must be minute, hour or day");
        }
        if (start != null && end != null && !start.isBefore(end)) {
            v.add("/from", "must be before to (" + end + ")");
        }
        v.throwIfAny();
        long buckets = Duration.between(start.truncatedTo(unit), end).toMillis()
                / unit.getDuration().toMillis();
        if (buckets > MAX_BUCKETS) {
            v.add(
                    "/interval",
                    "gives " + buckets + " buckets, more than " + MAX_BUCKETS
                            + "; use a coarser interval or a shorter range");
            v.throwIfAny();
        }
        return new ReportWindow(start, end, name, unit);
    }
}
