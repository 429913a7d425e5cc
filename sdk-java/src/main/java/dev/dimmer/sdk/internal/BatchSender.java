package dev.dimmer.sdk.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * A bounded queue of impressions or events and the batches that carry them to the server.
 *
 * <p><b>Callers never wait.</b> {@link #offer} is one {@link ArrayBlockingQueue#offer} (which
 * fails instead of blocking when the queue is full; the item is then counted as dropped) and a
 * counter increment; when a full batch is waiting it asks the scheduler for a flush.
 *
 * <p><b>Sending</b> happens on an SDK thread (the scheduler, or the caller of {@code close}),
 * one batch at a time under a lock that periodic flushes only {@code tryLock}. Each batch gets a
 * random UUID {@code batchId} when it is cut, and keeps it across retries, so the server can
 * acknowledge a repeat without storing it twice. Outcomes: 2xx sent; 413 split in two new
 * batches (new ids: their contents differ); 5xx, 408 or an I/O error retried with exponential
 * backoff and jitter up to {@code maxAttempts}; any other 4xx is an invalid batch: dropped,
 * counted, logged once per episode.
 *
 * <p><b>Load shedding is "not now", not a failure.</b> A 429 (or a 503 with {@code Retry-After})
 * means the server is up and asks us to come back later: the batch waits {@code Retry-After}
 * seconds (or the backoff when absent) and is resent with the same id as often as the server
 * asks, without spending the {@code maxAttempts} budget. While a batch waits no new batch is
 * cut, so it is the queue's bound that decides when items are dropped (counted, never blocking
 * the caller), not how long the server sheds load.
 */
public final class BatchSender<T> {

    private record Batch<T>(String id, List<T> items, int attempts, int throttles, long notBeforeNanos) {}

    /** A longer {@code Retry-After} is taken as this: a wrong header must not park a batch for days. */
    static final long MAX_RETRY_AFTER_SECONDS = 600;

    private final String what;
    private final String path;
    private final ArrayBlockingQueue<T> queue;
    private final AtomicInteger queued = new AtomicInteger();
    private final int batchSize;
    private final BiFunction<String, List<T>, Object> body;
    private final Transport transport;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration requestTimeout;
    private final LongAdder queuedCounter;
    private final LongAdder droppedCounter;
    private final LongAdder sentCounter;
    private final LongAdder throttledCounter;
    private final EpisodeLog failures;
    private final EpisodeLog rejections;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Batch<T>> retries = new ArrayDeque<>(); // guarded by lock
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private volatile boolean closed;
    private ScheduledFuture<?> retryTimer; // guarded by lock

    public BatchSender(
            String what,
            String path,
            int capacity,
            int batchSize,
            BiFunction<String, List<T>, Object> body,
            Transport transport,
            ScheduledExecutorService scheduler,
            Backoff backoff,
            int maxAttempts,
            Duration requestTimeout,
            LongAdder queuedCounter,
            LongAdder droppedCounter,
            LongAdder sentCounter,
            LongAdder throttledCounter,
            java.time.Clock clock) {
        this.what = what;
        this.path = path;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.body = body;
        this.transport = transport;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
        this.queuedCounter = queuedCounter;
        this.droppedCounter = droppedCounter;
        this.sentCounter = sentCounter;
        this.throttledCounter = throttledCounter;
        this.failures = new EpisodeLog("sending " + what + " to " + transport.uri(path), clock);
        this.rejections = new EpisodeLog("server accepting " + what + " batches", clock);
    }

    /** Queues one item without ever blocking; false (and counted as dropped) when full or closed. */
    public boolean offer(T item) {
        if (closed || !queue.offer(item)) {
            droppedCounter.increment();
            return false;
        }
        queuedCounter.increment();
        if (queued.incrementAndGet() >= batchSize) {
            requestFlush();
        }
        return true;
    }

    private void requestFlush() {
        if (flushRequested.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    flushRequested.set(false);
                    flush();
                });
            } catch (RejectedExecutionException e) {
                flushRequested.set(false);
            }
        }
    }

    /** Sends every batch that is due; returns at once if another flush is running. */
    public void flush() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            send(Long.MAX_VALUE, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            EpisodeLog.warn("Dimmer flush of " + what + " failed: " + e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting items and sends what is queued, waiting out backoffs, until {@code timeout}
     * has passed; whatever is left then is counted as dropped. Runs on the caller's thread.
     */
    public void close(Duration timeout) {
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean locked = false;
        try {
            locked = lock.tryLock(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            if (locked) {
                if (retryTimer != null) {
                    retryTimer.cancel(false);
                }
                send(deadline, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            int left = queue.size();
            queue.clear();
            if (locked) {
                for (Batch<T> b : retries) {
                    left += b.items().size();
                }
                retries.clear();
                lock.unlock();
            }
            if (left > 0) {
                droppedCounter.add(left);
                EpisodeLog.warn(
                        "Dimmer dropped " + left + " " + what + " not sent within the close timeout " + timeout);
            }
        }
    }

    private void send(long deadlineNanos, boolean closing) throws InterruptedException {
        while (true) {
            Batch<T> batch = retries.peekFirst();
            long now = System.nanoTime();
            if (batch != null) {
                long wait = batch.notBeforeNanos() - now;
                if (wait > 0) {
                    if (!closing) {
                        scheduleRetry(wait);
                        return;
                    }
                    if (batch.notBeforeNanos() - deadlineNanos >= 0) {
                        return; // cannot retry before the deadline
                    }
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                retries.pollFirst();
            } else {
                batch = cut();
                if (batch == null) {
                    return;
                }
            }
            if (closing && deadlineNanos - System.nanoTime() <= 0) {
                retries.addFirst(batch);
                return;
            }
            attempt(batch, closing ? deadlineNanos : Long.MAX_VALUE);
        }
    }

    private Batch<T> cut() {
        List<T> items = new ArrayList<>(Math.min(batchSize, queue.size()));
        queue.drainTo(items, batchSize);
        if (items.isEmpty()) {
            return null;
        }
        queued.addAndGet(-items.size());
        return new Batch<>(UUID.randomUUID().toString(), items, 0, 0, 0);
    }

    private void scheduleRetry(long waitNanos) {
        if (retryTimer != null && !retryTimer.isDone()) {
            return;
        }
        try {
            retryTimer = scheduler.schedule(this::flush, waitNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ignored) {
            // shutting down: close() sends what is left
        }
    }

    private void attempt(Batch<T> batch, long deadlineNanos) {
        Duration timeout = requestTimeout;
        if (deadlineNanos != Long.MAX_VALUE) {
            long left = Math.max(1_000_000, deadlineNanos - System.nanoTime());
            timeout = Duration.ofNanos(Math.min(left, requestTimeout.toNanos()));
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body.apply(batch.id(), batch.items()));
        } catch (Exception e) {
            drop(batch, "could not serialise the batch: " + e);
            return;
        }
        Transport.Posted posted = transport.post(path, json, timeout);
        int status = posted.status();
        if (status >= 200 && status < 300) {
            sentCounter.add(batch.items().size());
            failures.success();
            rejections.success();
        } else if (status == 413) {
            failures.success();
            int n = batch.items().size();
            if (n <= 1) {
                drop(batch, "HTTP 413 for a single item");
            } else {
                List<T> first = List.copyOf(batch.items().subList(0, n / 2));
                List<T> second = List.copyOf(batch.items().subList(n / 2, n));
                retries.addFirst(new Batch<>(UUID.randomUUID().toString(), second, 0, 0, 0));
                retries.addFirst(new Batch<>(UUID.randomUUID().toString(), first, 0, 0, 0));
            }
        } else if (status == 429 || (status == 503 && posted.retryAfterSeconds() >= 0)) {
            throttledCounter.increment();
            failures.success(); // reachable and answering: not an outage episode
            int throttles = batch.throttles() + 1;
            long delayMillis = posted.retryAfterSeconds() >= 0
                    ? Math.max(
                            TimeUnit.SECONDS.toMillis(Math.min(posted.retryAfterSeconds(), MAX_RETRY_AFTER_SECONDS)),
                            backoff.delayMillis(1))
                    : backoff.delayMillis(throttles);
            rejections.failure("server shedding load (HTTP " + status + "), " + what + " wait in the queue");
            retries.addFirst(new Batch<>(
                    batch.id(),
                    batch.items(),
                    batch.attempts(),
                    throttles,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis)));
        } else if (status == -1 || status >= 500 || status == 408) {
            String cause = status == -1 ? posted.error() : "HTTP " + status;
            int attempts = batch.attempts() + 1;
            if (attempts >= maxAttempts) {
                failures.failure(cause);
                droppedCounter.add(batch.items().size());
                EpisodeLog.warn("Dimmer gave up on a batch of " + batch.items().size() + " " + what + " after "
                        + attempts + " attempts (" + cause + ")");
                return;
            }
            failures.failure(cause);
            retries.addFirst(new Batch<>(
                    batch.id(),
                    batch.items(),
                    attempts,
                    batch.throttles(),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.delayMillis(attempts))));
        } else {
            drop(batch, "HTTP " + status + " (invalid batch, not retried)");
        }
    }

    private void drop(Batch<T> batch, String cause) {
        droppedCounter.add(batch.items().size());
        rejections.failure("dropping " + what + " batches: " + cause);
    }

    /** Items waiting in the queue (not counting batches waiting for a retry). */
    public int queued() {
        return queue.size();
    }
}
