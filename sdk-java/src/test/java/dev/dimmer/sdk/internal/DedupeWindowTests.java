package dev.dimmer.sdk.internal;

import static dev.dimmer.sdk.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.Fixtures.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DedupeWindowTests {

    private static final long HOUR = 3_600_000;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aSuppliedClock_isReadOnEveryCall() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:59:00Z"));
        DedupeWindow window = new DedupeWindow(clock, HOUR, false);
        assertThat(window.ticked()).isFalse();
        long ten = window.current();
        assertThat(ten).isEqualTo(clock.millis() / HOUR);
        clock.advance(Duration.ofMinutes(1));
        assertThat(window.current()).isEqualTo(ten + 1);
    }

    @Test
    void aWindowUnderASecond_isReadOnEveryCall_evenWithTheSystemClock() {
        assertThat(new DedupeWindow(Clock.systemUTC(), 999, true).ticked()).isFalse();
        assertThat(new DedupeWindow(Clock.systemUTC(), 1_000, true).ticked()).isTrue();
    }

    @Test
    void dedupeOff_windowIsAlwaysZero() {
        assertThat(new DedupeWindow(Clock.systemUTC(), 0, true).current()).isZero();
    }

    @Test
    void ticked_keepsTheWindowUntilRefreshed_andOnlyMovesForward() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:30:00Z"));
        DedupeWindow window = new DedupeWindow(clock, HOUR, true); // as the client's own system clock would be
        long ten = window.current();
        clock.advance(Duration.ofHours(1));
        assertThat(window.current()).as("not read per call").isEqualTo(ten);
        window.refresh();
        assertThat(window.current()).isEqualTo(ten + 1);
        clock.advance(Duration.ofHours(-2)); // a wall clock stepped back
        window.refresh();
        assertThat(window.current()).isEqualTo(ten + 1);
    }

    @Test
    void ticked_aTimeReadForAnImpression_movesTheWindowOnBeforeTheTimer() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:30:00Z"));
        DedupeWindow window = new DedupeWindow(clock, HOUR, true);
        long ten = window.current();
        window.observe(clock.millis());
        assertThat(window.current()).isEqualTo(ten);
        window.observe(clock.millis() + HOUR);
        assertThat(window.current()).isEqualTo(ten + 1);
        window.observe(clock.millis()); // an older time, read before the boundary by another thread
        assertThat(window.current()).isEqualTo(ten + 1);
    }

    @Test
    void ticked_theTimerMovesTheWindowAtTheBoundary() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:59:59.950Z"));
        DedupeWindow window = new DedupeWindow(clock, HOUR, true);
        long ten = window.current();
        window.start(scheduler); // the timer wakes about 50 ms from now, and re-arms while the clock is short of 11:00
        clock.advance(Duration.ofMillis(100));
        await("the timer moves to the 11:00 window", Duration.ofSeconds(5), () -> window.current() == ten + 1);
        window.stop();
        assertThat(scheduler.getQueue()).as("stop cancels the timer").isEmpty();
    }

    @Test
    void ticked_withTheRealSystemClock_followsIt() {
        DedupeWindow window = new DedupeWindow(Clock.systemUTC(), 1_000, true);
        window.start(scheduler);
        long first = window.current();
        assertThat(first).isBetween(System.currentTimeMillis() / 1_000 - 1, System.currentTimeMillis() / 1_000);
        await("a second boundary", Duration.ofSeconds(5), () -> window.current() > first);
        long now = System.currentTimeMillis() / 1_000;
        assertThat(window.current()).isBetween(now - 1, now);
        window.stop();
    }
}
