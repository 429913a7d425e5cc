package dev.dimmer.sdk.internal;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which impression-dedupe window is current: {@code epochMillis / windowMillis}, asked on every evaluation.
 *
 * <p><b>Why not just read the clock.</b> Reading the wall clock cost 34 ns on a quiet moment and 80–125 ns under load
 * on this project's virtual machine (kvm-clock; {@code EvaluationBenchmark.wallClock}, docs/performance.md "SDK hot
 * path"), as much as the whole evaluation, and the answer changes once an hour. So with the system clock and a window of at least {@value #MIN_TICKED_WINDOW_MILLIS} ms, the window number
 * lives in a field that evaluations read (a plain load on x86) and a timer on the client's scheduler moves on at
 * each boundary. The flush task calls {@link #refresh()} too, so that a timer delayed by a suspended machine or a
 * stepped wall clock is caught up within a flush interval, and so does every recorded impression, which reads the
 * clock for its time anyway ({@link #observe}).
 *
 * <p><b>Trade-off.</b> Just after a boundary, until the timer has run (normally under a millisecond, at most one flush
 * interval), an evaluation still counts in the window that ended: a tuple already recorded in it is not recorded
 * again then; it is on its next evaluation in the new window. Nothing is held back longer than that, and a tuple is
 * never skipped in a window it was not recorded in.
 *
 * <p>A clock given to the builder (tests move one by hand) or a window under a second is read on every call, as
 * before: exact, and no timer.
 */
public final class DedupeWindow {

    static final long MIN_TICKED_WINDOW_MILLIS = 1_000;

    private final Clock clock;
    private final long windowMillis;
    private final boolean ticked;
    private final AtomicLong current = new AtomicLong();
    private ScheduledExecutorService scheduler; // guarded by this
    private ScheduledFuture<?> timer; // guarded by this
    private boolean stopped; // guarded by this

    /**
     * @param systemClock whether {@code clock} is the system clock the client chose itself (only then is the window
     *     kept by a timer)
     * @param windowMillis the window length; {@code <= 0} means deduplication is off and the window is always 0
     */
    public DedupeWindow(Clock clock, long windowMillis, boolean systemClock) {
        this.clock = clock;
        this.windowMillis = windowMillis;
        this.ticked = systemClock && windowMillis >= MIN_TICKED_WINDOW_MILLIS;
        if (windowMillis > 0) {
            current.set(clock.millis() / windowMillis);
        }
    }

    /** The current window's number. */
    public long current() {
        if (windowMillis <= 0) {
            return 0;
        }
        return ticked ? current.get() : clock.millis() / windowMillis;
    }

    /** Whether a timer keeps the window (system clock, window of at least a second). */
    public boolean ticked() {
        return ticked;
    }

    /** Starts the timer on {@code scheduler} (when {@link #ticked()}); the first tick is at the next boundary. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (!ticked || stopped || this.scheduler != null) {
            return;
        }
        this.scheduler = scheduler;
        tick();
    }

    /** Re-reads the clock and moves the window on if a boundary has passed. */
    public void refresh() {
        if (ticked) {
            moveTo(clock.millis() / windowMillis);
        }
    }

    /**
     * Moves the window on if {@code nowMillis}, a time the caller read from the clock anyway (to stamp an
     * impression), is past a boundary the timer has not marked yet. A field read when it is not.
     */
    public void observe(long nowMillis) {
        if (ticked && nowMillis / windowMillis > current.get()) {
            moveTo(nowMillis / windowMillis);
        }
    }

    /** Cancels the timer. */
    public synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void tick() {
        long now = clock.millis();
        long window = now / windowMillis;
        moveTo(window);
        synchronized (this) {
            if (stopped) {
                return;
            }
            // Wakes at the boundary; if the wall clock is a little behind the scheduler's, this runs again 1 ms later.
            long delay = Math.max(1, (window + 1) * windowMillis - now);
            try {
                timer = scheduler.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                timer = null;
            }
        }
    }

    private void moveTo(long window) {
        // Only forward: the timer and a flush may race, and a wall clock stepped back must not undo a boundary.
        current.accumulateAndGet(window, Math::max);
    }
}
