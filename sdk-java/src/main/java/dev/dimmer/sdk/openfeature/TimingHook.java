package dev.dimmer.sdk.openfeature;

import dev.dimmer.sdk.DimmerClient;
import dev.dimmer.sdk.Timing;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.HookContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Times flag-guarded code for OpenFeature users: register the hook once, wrap the code a flag guards in {@link #time},
 * and its latency and failures are recorded as Dimmer's {@link Timing} events ({@code latency}, {@code error}) for the
 * user the flags inside it were evaluated for, without passing the user around.
 *
 * <pre>{@code
 * TimingHook timing = new TimingHook(provider);            // the DimmerProvider given to OpenFeature
 * OpenFeatureAPI.getInstance().addHooks(timing);
 * ...
 * Receipt r = timing.time("checkout", () -> client.getBooleanValue("new-checkout", false, ctx)
 *         ? newCheckout.pay(cart) : oldCheckout.pay(cart));
 * }</pre>
 *
 * <p><b>How it knows the user.</b> {@link #time} opens a scope on the calling thread; the hook's {@code before} stage
 * notes the targeting key (and flag) of the first evaluation made inside it on that thread. When the block ends the
 * call is recorded for that key (properties {@code operation} and {@code outcome}). A block that
 * evaluates no flag on its own thread is not recorded: nobody in it was exposed to a treatment, so no guardrail could
 * use it. Scopes nest; evaluations outside any scope cost the hook one {@link ThreadLocal} read.
 */
public final class TimingHook implements Hook<Object> {

    /** The user and flag of the first evaluation inside a {@link #time} block on this thread. */
    private static final class Scope {
        String key;
    }

    private final Supplier<DimmerClient> client;
    private final ThreadLocal<Scope> scope = new ThreadLocal<>();

    /** Records through the provider's current client (none before it is initialised: nothing is recorded). */
    public TimingHook(DimmerProvider provider) {
        Objects.requireNonNull(provider, "provider");
        this.client = provider::client;
    }

    /** Records through {@code client}. */
    public TimingHook(DimmerClient client) {
        Objects.requireNonNull(client, "client");
        this.client = () -> client;
    }

    @Override
    public Optional<EvaluationContext> before(HookContext<Object> context, Map<String, Object> hints) {
        Scope open = scope.get();
        if (open != null && open.key == null) {
            EvaluationContext ctx = context.getCtx();
            String key = ctx == null ? null : ctx.getTargetingKey();
            if (key != null && !key.isEmpty()) {
                open.key = key;
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code work}, then records its latency (and the error, if it threw) for the targeting key of the first flag
     * evaluated inside it on this thread; returns what it returned and rethrows what it threw.
     */
    public <T, E extends Exception> T time(String operation, Timing.Work<T, E> work) throws E {
        Scope outer = scope.get();
        Scope mine = new Scope();
        scope.set(mine);
        long start = System.nanoTime();
        T result;
        try {
            result = work.call();
        } catch (Throwable failure) {
            end(outer, mine, operation, System.nanoTime() - start, failure);
            throw failure;
        }
        end(outer, mine, operation, System.nanoTime() - start, null);
        return result;
    }

    /** {@link #time(String, Timing.Work)} for a block that returns nothing. */
    public <E extends Exception> void time(String operation, Timing.Task<E> task) throws E {
        time(operation, () -> {
            task.run();
            return null;
        });
    }

    private void end(Scope outer, Scope mine, String operation, long nanos, Throwable failure) {
        if (outer == null) {
            scope.remove();
        } else {
            scope.set(outer);
            if (outer.key == null) {
                outer.key = mine.key; // an evaluation inside a nested block is inside the outer one too
            }
        }
        if (mine.key != null) {
            Timing.record(client.get(), mine.key, operation, nanos, failure);
        }
    }
}
