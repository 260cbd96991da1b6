package dev.gavel;

import dev.gavel.compile.CompiledEndpoint;
import dev.gavel.compile.Prepared;
import dev.gavel.directory.Identity;
import dev.gavel.eval.Decision;
import dev.gavel.eval.Evaluation;

/**
 * A principal resolved once for many checks: a user, or a role session (by its ARN or its
 * credentials). {@link #check} is the fastest way to ask: no allocation, no lock, no exception.
 *
 * <p>A handle follows reloads: the first check after the engine loads a new snapshot resolves
 * the principal again against it. If the principal is gone, or its credentials have expired,
 * every answer is a failed-closed {@code implicitDeny}. Thread-safe.
 */
public final class Principal {

    /** The principal as resolved against one snapshot; prepared is null when it no longer resolves. */
    record Binding(Engine.Loaded loaded, Prepared prepared) {}

    private final Engine engine;
    private final Engine.Resolver resolver;
    private final String arn;
    private volatile Binding binding;

    Principal(Engine engine, Engine.Resolver resolver, Binding binding) {
        this.engine = engine;
        this.resolver = resolver;
        this.binding = binding;
        this.arn = binding.prepared().identity().principalArn();
    }

    /** The principal's ARN: a user's, or a role session's. */
    public String arn() {
        return arn;
    }

    /**
     * Decides whether the principal may perform the action on the resource, with the context's
     * request facts. Fails closed: an error while deciding is a counted {@code implicitDeny}.
     */
    public Answer check(Action action, String resource, CheckContext context) {
        Engine.Loaded loaded = engine.loaded();
        try {
            Prepared prepared = bound(loaded).prepared();
            long now = engine.millis();
            if (prepared == null || prepared.expired(now)) {
                return loaded.failed;
            }
            CompiledEndpoint endpoint = context.endpoint == null ? null : context.endpoint.compiled(loaded.snapshot);
            Decision decision = loaded.snapshot.decide(prepared, action.id, action.name, resource, endpoint,
                    context.scratch, now);
            return loaded.answer(decision);
        } catch (RuntimeException e) {
            engine.failed(e);
            return loaded.failed;
        }
    }

    /**
     * Decides many requests of the principal in one call: {@code actions[i]} on
     * {@code resources[i]} into {@code answers[i]}, for {@code i < count}, with one context.
     */
    public void checkAll(Action[] actions, String[] resources, int count, CheckContext context, Answer[] answers) {
        for (int i = 0; i < count; i++) {
            answers[i] = check(actions[i], resources[i], context);
        }
    }

    /** As {@link #check}, with the explanation: which statements decided, and why. Allocates. */
    public Answer explain(Action action, String resource, CheckContext context) {
        Engine.Loaded loaded = engine.loaded();
        Prepared prepared = bound(loaded).prepared();
        if (prepared == null || prepared.expired(engine.millis())) {
            return loaded.failed;
        }
        CompiledEndpoint endpoint = context.endpoint == null ? null : context.endpoint.compiled(loaded.snapshot);
        Evaluation evaluation = loaded.snapshot.explain(prepared, action.id, action.name, resource, endpoint,
                context.scratch);
        return new Answer(evaluation.decision(), loaded.snapshot.version(), evaluation.explanation(), false);
    }

    /** The principal as resolved against the snapshot, or null when it no longer resolves or has expired. */
    Identity identity(Engine.Loaded loaded) {
        Prepared prepared = bound(loaded).prepared();
        return prepared == null || prepared.expired(engine.millis()) ? null : prepared.identity();
    }

    /**
     * How far the principal's own policies leave the action open, on any resource and with any
     * context: {@code BLOCKED} when an SCP level has no Allow statement for it,
     * {@code RESOURCE_POLICY_ONLY} when its identity-based policies or its permissions boundary
     * have none, else {@code OPEN} (as for an action that needs no grant, such as
     * {@code sts:GetCallerIdentity}). {@code OPEN} when the principal no longer resolves, so that
     * its check reports that.
     */
    public ActionReach reach(Action action) {
        Engine.Loaded loaded = engine.loaded();
        Prepared prepared = bound(loaded).prepared();
        if (prepared == null) {
            return ActionReach.OPEN;
        }
        if (!loaded.snapshot.scpsCanAllow(prepared, action.id, action.name)) {
            return ActionReach.BLOCKED;
        }
        return loaded.snapshot.identityCanAllow(prepared, action.id, action.name) ? ActionReach.OPEN
                : ActionReach.RESOURCE_POLICY_ONLY;
    }

    /** The binding to this snapshot: the current one, or a new one after a reload. */
    private Binding bound(Engine.Loaded loaded) {
        Binding current = binding;
        if (current.loaded() != loaded) {
            current = new Binding(loaded, resolver.resolve(loaded));
            binding = current;
        }
        return current;
    }
}
