package dev.dimmer.server.rollout;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.flags.FlagTreatments;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.rollout.PlanTransition.Kind;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.segments.SegmentRepository;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.targeting.ConfigurationService;
import dev.dimmer.server.targeting.ConfigurationView;
import dev.dimmer.server.targeting.ETags;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What people do with a flag's rollout plan: define it, start it, approve a stage, pause, resume, skip ahead, abort.
 * Each action locks the plan's row (waiting for a scheduled check in progress), is audited under the person's name,
 * and is a {@link PlanTransition} like the scheduler's own steps; an action that moves the configuration does it as
 * {@code plan:<id>}, with the person named in the comment.
 */
@Service
class PlanService {

    static final int MAX_COMMENT = 2000;

    /** The result of {@code PUT …/plan}: created is true when a new plan was made (201), false for a redefined draft. */
    record Defined(PlanView plan, boolean created) {}

    private final FlagService flags;
    private final FlagTreatments treatments;
    private final Lookup lookup;
    private final SegmentRepository segments;
    private final ConfigurationService configurations;
    private final PlanRepository plans;
    private final PlanChanges changes;
    private final EvidenceReader reports;
    private final AuditLog audit;
    private final Clock clock;

    PlanService(
            FlagService flags,
            FlagTreatments treatments,
            Lookup lookup,
            SegmentRepository segments,
            ConfigurationService configurations,
            PlanRepository plans,
            PlanChanges changes,
            EvidenceReader reports,
            AuditLog audit,
            Clock clock) {
        this.flags = flags;
        this.treatments = treatments;
        this.lookup = lookup;
        this.segments = segments;
        this.configurations = configurations;
        this.plans = plans;
        this.changes = changes;
        this.reports = reports;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    PlanView get(String project, String environment, String flag) {
        return view(find(project, environment, flag));
    }

    /**
     * Defines the plan: a new draft, or a new definition of the draft in progress ({@code ifMatch} its version, when
     * given). Refused while a plan runs (active, paused, halted): abort it first.
     */
    @Transactional
    Defined define(
            Actor actor,
            String project,
            String environment,
            String flag,
            String ifMatch,
            PlanDefinition.Request request) {
        Flag definition = flags.find(project, flag);
        Environment env = lookup.environment(project, environment);
        actor.requireEditorOf(project);
        ConfigurationView configuration = configurations.get(project, environment, flag);
        PlanDefinition plan = PlanDefinition.of(
                request,
                treatments.namesOf(definition),
                configuration.offTreatment(),
                Set.copyOf(segments.activeKeysOf(env.getId())));
        Instant now = clock.instant();
        Optional<RolloutPlan> existing = plans.current(definition.getId(), env.getId())
                .filter(p -> p.status().inProgress())
                .flatMap(p -> plans.lock(p.id()));
        AuditTarget target;
        Object before = null;
        long id;
        if (existing.isPresent() && existing.get().status() == PlanStatus.DRAFT) {
            RolloutPlan draft = existing.get();
            Optional<Long> expected = ETags.version(ifMatch);
            if (expected.isPresent() && expected.get() != draft.version()) {
                throw ApiException.preconditionFailed("If-Match " + ifMatch + " is stale: the plan is at version "
                        + draft.version() + "; fetch it again and reapply your change");
            }
            before = definitionOf(draft);
            id = draft.id();
            plans.redefine(id, plan, now);
        } else if (existing.isPresent()) {
            throw ApiException.conflict(
                    "a rollout plan is " + existing.get().status().name().toLowerCase()
                            + " for flag '" + flag + "' in '" + environment + "' (plan "
                            + existing.get().id()
                            + "); abort it (POST …/plan/abort) before defining another");
        } else {
            id = plans.insert(definition.getId(), env.getId(), plan, actor.name(), now);
        }
        target = new AuditTarget("rollout-plan", String.valueOf(id), project, environment, flag);
        RolloutPlan saved = plans.lock(id).orElseThrow();
        audit.record(actor, "define", target, before, definitionOf(saved));
        return new Defined(view(saved), before == null);
    }

    /** Applies the first stage and lets the scheduler take it from there. */
    @Transactional
    PlanView start(Actor actor, String project, String environment, String flag, String comment) {
        RolloutPlan plan = locked(actor, project, environment, flag);
        requireStatus(plan, "start", EnumSet.of(PlanStatus.DRAFT));
        ConfigurationView configuration = changes.configuration(plan);
        requireNotKilled(configuration, "start the plan");
        Instant now = clock.instant();
        String reason = said("started by " + actor.name() + " at " + plan.describe(0), comment);
        long version = changes.moveTo(plan, configuration, 0, reason);
        RolloutPlan started = plan.with(PlanStatus.ACTIVE, 0, now, plan.approvedStages(), false, reason);
        changes.record(plan, started, Kind.STARTED, actor, reason, version, null, now);
        changes.completeIfEveryone(started, Actor.system(plan.actor()), now);
        return view(plans.lock(plan.id()).orElseThrow());
    }

    /** Approves entering {@code stage} (default: the next one), now or ahead of time. */
    @Transactional
    PlanView approve(Actor actor, String project, String environment, String flag, Integer stage, String comment) {
        RolloutPlan plan = locked(actor, project, environment, flag);
        requireStatus(
                plan, "approve", EnumSet.of(PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.PAUSED, PlanStatus.HALTED));
        int target = stage != null ? stage : plan.currentStage() + 1;
        if (target <= plan.currentStage() || target >= plan.stages().size()) {
            throw ApiException.invalid(
                    "/stage",
                    "must be a stage after the current one (" + plan.currentStage() + ") and below "
                            + plan.stages().size());
        }
        if (!plan.stage(target).requiresApproval()) {
            throw ApiException.invalid("/stage", plan.describe(target) + " does not require approval");
        }
        if (plan.approvedStages().contains(target)) {
            return view(plan);
        }
        Set<Integer> approvals = new HashSet<>(plan.approvedStages());
        approvals.add(target);
        String reason = said(plan.describe(target) + " approved by " + actor.name(), comment);
        boolean stillWaiting = plan.awaitingApproval() && target != plan.currentStage() + 1;
        RolloutPlan approved =
                plan.with(plan.status(), plan.currentStage(), plan.stageStartedAt(), approvals, stillWaiting, reason);
        changes.record(plan, approved, Kind.APPROVED, actor, reason, null, null, clock.instant());
        return view(plans.lock(plan.id()).orElseThrow());
    }

    @Transactional
    PlanView pause(Actor actor, String project, String environment, String flag, String comment) {
        RolloutPlan plan = locked(actor, project, environment, flag);
        if (plan.status() == PlanStatus.PAUSED) {
            return view(plan);
        }
        requireStatus(plan, "pause", EnumSet.of(PlanStatus.ACTIVE));
        String reason = said("paused by " + actor.name() + " at " + plan.describe(plan.currentStage()), comment);
        RolloutPlan paused = plan.with(
                PlanStatus.PAUSED, plan.currentStage(), plan.stageStartedAt(), plan.approvedStages(), false, reason);
        changes.record(plan, paused, Kind.PAUSED, actor, reason, null, null, clock.instant());
        return view(plans.lock(plan.id()).orElseThrow());
    }

    /**
     * Makes a paused or halted plan active again at its current stage, whose clock starts over. If the parts of the
     * configuration the plan owns were changed by hand, the stage is applied again (the person resuming decides).
     */
    @Transactional
    PlanView resume(Actor actor, String project, String environment, String flag, String comment) {
        RolloutPlan plan = locked(actor, project, environment, flag);
        requireStatus(plan, "resume", EnumSet.of(PlanStatus.PAUSED, PlanStatus.HALTED));
        ConfigurationView configuration = changes.configuration(plan);
        requireNotKilled(configuration, "resume the plan");
        Instant now = clock.instant();
        int stage = plan.currentStage();
        Optional<String> edited = StagePlacement.divergence(configuration, plan, stage);
        String reason = said(
                "resumed by " + actor.name() + " at " + plan.describe(stage)
                        + edited.map(d -> "; re-applied it (" + d + ")").orElse(""),
                comment);
        Long version = edited.isPresent() ? changes.moveTo(plan, configuration, stage, reason) : null;
        RolloutPlan resumed = plan.with(PlanStatus.ACTIVE, stage, now, plan.approvedStages(), false, reason);
        changes.record(plan, resumed, Kind.RESUMED, actor, reason, version, null, now);
        return view(plans.lock(plan.id()).orElseThrow());
    }

    /** Moves to {@code toStage} (default: the next one) now, past its gates and approval; the plan is active after. */
    @Transactional
    PlanView skip(Actor actor, String project, String environment, String flag, Integer toStage, String comment) {
        RolloutPlan plan = locked(actor, project, environment, flag);
        requireStatus(plan, "skip ahead", EnumSet.of(PlanStatus.ACTIVE, PlanStatus.PAUSED, PlanStatus.HALTED));
        int target = toStage != null ? toStage : plan.currentStage() + 1;
        if (target <= plan.currentStage() || target >= plan.stages().size()) {
            throw ApiException.invalid(
                    "/toStage",
                    "must be a stage after the current one (" + plan.currentStage() + ") and below "
                            + plan.stages().size() + "; to go back, abort the plan and change the configuration");
        }
        ConfigurationView configuration = changes.configuration(plan);
        requireNotKilled(configuration, "skip ahead");
        Instant now = clock.instant();
        String reason = said(
                "skipped from " + plan.describe(plan.currentStage()) + " to " + plan.describe(target) + " by "
                        + actor.name(),
                comment);
        long version = changes.moveTo(plan, configuration, target, reason);
        Set<Integer> approvals = new HashSet<>(plan.approvedStages());
        IntStream.rangeClosed(plan.currentStage() + 1, target)
                .filter(i -> plan.stage(i).requiresApproval())
                .forEach(approvals::add);
        RolloutPlan skipped = plan.with(PlanStatus.ACTIVE, target, now, approvals, false, reason);
        changes.record(plan, skipped, Kind.SKIPPED, actor, reason, version, null, now);
        changes.completeIfEveryone(skipped, Actor.system(plan.actor()), now);
        return view(plans.lock(plan.id()).orElseThrow());
    }

    /** Stops the plan for good; the configuration stays as it is, for a person to take over. */
    @Transactional
    PlanView abort(Actor actor, String project, String environment, String flag, String comment) {
        RolloutPlan plan = locked(actor, project, environment, flag);
        requireStatus(
                plan, "abort", EnumSet.of(PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.PAUSED, PlanStatus.HALTED));
        String reason = said(
                "aborted by " + actor.name() + " at " + plan.describe(plan.currentStage())
                        + "; the configuration stays as it is",
                comment);
        RolloutPlan aborted = plan.with(
                PlanStatus.ABORTED, plan.currentStage(), plan.stageStartedAt(), plan.approvedStages(), false, reason);
        changes.record(plan, aborted, Kind.ABORTED, actor, reason, null, null, clock.instant());
        return view(plans.lock(plan.id()).orElseThrow());
    }

    private RolloutPlan find(String project, String environment, String flag) {
        Flag definition = flags.find(project, flag);
        Environment env = lookup.environment(project, environment);
        return plans.current(definition.getId(), env.getId())
                .orElseThrow(() -> ApiException.notFound("a rollout plan for flag '" + flag + "' in '" + environment
                        + "' (define one with PUT …/plan)"));
    }

    private RolloutPlan locked(Actor actor, String project, String environment, String flag) {
        RolloutPlan plan = find(project, environment, flag);
        actor.requireEditorOf(project);
        return plans.lock(plan.id()).orElseThrow();
    }

    private static void requireStatus(RolloutPlan plan, String action, Set<PlanStatus> allowed) {
        if (!allowed.contains(plan.status())) {
            throw ApiException.conflict("cannot " + action + " plan " + plan.id() + ": it is "
                    + plan.status().name().toLowerCase() + " (allowed when "
                    + allowed.stream().map(s -> s.name().toLowerCase()).toList() + ")");
        }
    }

    private static void requireNotKilled(ConfigurationView configuration, String action) {
        if (configuration.killed()) {
            throw ApiException.conflict("the flag is killed: restore it (POST …/restore) before you " + action);
        }
    }

    /** What was done, with the person's comment (as long as the audit log keeps a comment). */
    private static String said(String what, String comment) {
        if (comment == null || comment.isBlank()) {
            return what;
        }
        String c = comment.strip();
        return what + ": " + (c.length() > MAX_COMMENT ? c.substring(0, MAX_COMMENT) : c);
    }

    /** A plan's definition as the audit log records it. */
    record AuditedDefinition(
            String treatment,
            String control,
            List<PlanRepository.StageJson> stages,
            BreachAction onBreach,
            boolean requireNonInferiority) {}

    private static AuditedDefinition definitionOf(RolloutPlan p) {
        return new AuditedDefinition(
                p.treatment(),
                p.control(),
                p.stages().stream().map(PlanRepository.StageJson::of).toList(),
                p.onBreach(),
                p.requireNonInferiority());
    }

    private PlanView view(RolloutPlan p) {
        List<PlanView.StageView> stages = IntStream.range(0, p.stages().size())
                .mapToObj(i -> {
                    Stage s = p.stage(i);
                    return new PlanView.StageView(
                            i,
                            s.name(),
                            s.segments(),
                            s.weight(),
                            s.minDuration().toString(),
                            s.minSamplePerArm(),
                            s.requiresApproval(),
                            p.approvedStages().contains(i));
                })
                .toList();
        PlanView.Gate gate = null;
        if (EnumSet.of(PlanStatus.ACTIVE, PlanStatus.PAUSED, PlanStatus.HALTED).contains(p.status())) {
            StageGate.Assessment a =
                    StageGate.assess(p, clock.instant(), reports.latest(p.environmentId(), p.flagId(), p.treatment()));
            gate = new PlanView.Gate(a.state().name(), a.reason(), a.evidence());
        }
        return new PlanView(
                p.id(),
                p.project(),
                p.environment(),
                p.flag(),
                p.status(),
                p.statusReason(),
                p.treatment(),
                p.control(),
                p.onBreach(),
                p.requireNonInferiority(),
                p.currentStage(),
                p.stageStartedAt(),
                p.awaitingApproval(),
                stages,
                gate,
                p.version(),
                p.createdBy(),
                p.createdAt(),
                p.updatedAt(),
                plans.transitions(p).stream().map(PlanView.TransitionView::of).toList());
    }
}
