package dev.dimmer.server.notifications;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.security.Secrets;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.Violations;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams and their channels, and the project's default channels: editors of the project change them, readers of the
 * project read them; every change is audited (without secrets).
 */
@Service
class TeamService {

    static final String SECRET_PREFIX = "dwh_";
    static final int MAX_NAME = 200;

    record TeamRequest(String key, String name) {}

    record TeamPatch(String name) {}

    /**
     * @param kind {@code webhook} or {@code slack}
     * @param enabled default true
     */
    record ChannelRequest(String key, String name, String kind, String url, Boolean enabled) {}

    record ChannelPatch(String name, String url, Boolean enabled) {}

    private final Lookup lookup;
    private final TeamRepository teams;
    private final ChannelUrls urls;
    private final SecretBox secrets;
    private final AuditLog audit;
    private final Clock clock;

    TeamService(Lookup lookup, TeamRepository teams, ChannelUrls urls, SecretBox secrets, AuditLog audit, Clock clock) {
        this.lookup = lookup;
        this.teams = teams;
        this.urls = urls;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    TeamView createTeam(Actor actor, String project, TeamRequest request) {
        Project owner = lookup.project(project);
        actor.requireEditorOf(project);
        if (request == null) {
            throw ApiException.invalid("", "a team is required");
        }
        Violations v = new Violations();
        v.requireKey("/key", request.key());
        v.maxLength("/name", request.name(), MAX_NAME);
        v.throwIfAny();
        if (teams.team(owner.getId(), request.key()).isPresent()) {
            throw ApiException.conflict("team '" + request.key() + "' already exists in '" + project + "'");
        }
        String name = request.name() == null || request.name().isBlank() ? request.key() : request.name();
        teams.insertTeam(owner.getId(), request.key(), name, clock.instant());
        audit.record(actor, "create", target(project, request.key()), null, new TeamView.Audited(request.key(), name));
        return view(actor, project, team(owner, request.key()));
    }

    @Transactional(readOnly = true)
    List<TeamView> teams(Actor actor, String project) {
        Project owner = lookup.project(project);
        actor.requireReaderOf(project);
        return teams.teams(owner.getId()).stream()
                .map(t -> view(actor, project, t))
                .toList();
    }

    @Transactional(readOnly = true)
    TeamView team(Actor actor, String project, String team) {
        Project owner = lookup.project(project);
        actor.requireReaderOf(project);
        return view(actor, project, team(owner, team));
    }

    @Transactional
    TeamView updateTeam(Actor actor, String project, String team, TeamPatch patch) {
        Project owner = lookup.project(project);
        Team existing = team(owner, team);
        actor.requireEditorOf(project);
        Violations v = new Violations();
        if (patch == null || patch.name() == null) {
            v.add("/name", "is required (the only field of a team that changes)");
        } else {
            v.requireText("/name", patch.name(), MAX_NAME);
        }
        v.throwIfAny();
        teams.renameTeam(existing.id(), patch.name(), clock.instant());
        audit.record(
                actor,
                "update",
                target(project, team),
                new TeamView.Audited(team, existing.name()),
                new TeamView.Audited(team, patch.name()));
        return view(actor, project, team(owner, team));
    }

    /** Deletes the team and its channels; its flags' notices then go to the project's default channels. */
    @Transactional
    void deleteTeam(Actor actor, String project, String team) {
        Project owner = lookup.project(project);
        Team existing = team(owner, team);
        actor.requireEditorOf(project);
        teams.deleteTeam(existing.id());
        audit.record(actor, "delete", target(project, team), new TeamView.Audited(team, existing.name()), null);
    }

    /** {@code team} null: the project's default channels. */
    @Transactional
    ChannelView createChannel(Actor actor, String project, String team, ChannelRequest request) {
        Project owner = lookup.project(project);
        Long teamId = team == null ? null : team(owner, team).id();
        actor.requireEditorOf(project);
        if (request == null) {
            throw ApiException.invalid("", "a channel is required");
        }
        Violations v = new Violations();
        v.requireKey("/key", request.key());
        v.maxLength("/name", request.name(), MAX_NAME);
        ChannelKind kind = null;
        if (request.kind() == null) {
            v.add("/kind", "is required: webhook or slack");
        } else {
            try {
                kind = ChannelKind.fromWire(request.kind());
            } catch (IllegalArgumentException e) {
                v.add(
                        "/kind",
                        "must be one of "
                                + Arrays.stream(ChannelKind.values())
                                        .map(ChannelKind::wireName)
                                        .toList());
            }
        }
        urls.problem(request.url()).ifPresent(problem -> v.add("/url", problem));
        v.throwIfAny();
        if (teams.channel(owner.getId(), teamId, request.key()).isPresent()) {
            throw ApiException.conflict("channel '" + request.key() + "' already exists in " + where(project, team));
        }
        String secret = kind == ChannelKind.WEBHOOK ? Secrets.newSecret(SECRET_PREFIX) : null;
        String name = request.name() == null || request.name().isBlank() ? request.key() : request.name();
        long id = teams.insertChannel(
                owner.getId(),
                teamId,
                request.key(),
                name,
                kind,
                request.url(),
                secret == null ? null : secrets.seal(secret),
                request.enabled() == null || request.enabled(),
                clock.instant());
        Channel created = teams.channel(id).orElseThrow();
        audit.record(actor, "create", target(created, project), null, ChannelView.Audited.of(created));
        return ChannelView.of(created, true, secret);
    }

    @Transactional(readOnly = true)
    List<ChannelView> channels(Actor actor, String project, String team) {
        Project owner = lookup.project(project);
        Long teamId = team == null ? null : team(owner, team).id();
        actor.requireReaderOf(project);
        return teams.channels(owner.getId(), teamId).stream()
                .map(c -> ChannelView.of(c, actor.canEdit(project), null))
                .toList();
    }

    @Transactional(readOnly = true)
    ChannelView channel(Actor actor, String project, String team, String channel) {
        Channel c = channel(project, team, channel);
        actor.requireReaderOf(project);
        return ChannelView.of(c, actor.canEdit(project), null);
    }

    @Transactional
    ChannelView updateChannel(Actor actor, String project, String team, String channel, ChannelPatch patch) {
        Channel before = channel(project, team, channel);
        actor.requireEditorOf(project);
        if (patch == null) {
            throw ApiException.invalid("", "a change is required");
        }
        Violations v = new Violations();
        if (patch.name() != null) {
            v.requireText("/name", patch.name(), MAX_NAME);
        }
        if (patch.url() != null) {
            urls.problem(patch.url()).ifPresent(problem -> v.add("/url", problem));
        }
        v.throwIfAny();
        teams.updateChannel(
                before.id(),
                patch.name() == null ? before.name() : patch.name(),
                patch.url() == null ? before.url() : patch.url(),
                patch.enabled() == null ? before.enabled() : patch.enabled(),
                clock.instant());
        Channel after = teams.channel(before.id()).orElseThrow();
        audit.record(
                actor, "update", target(after, project), ChannelView.Audited.of(before), ChannelView.Audited.of(after));
        return ChannelView.of(after, true, null);
    }

    /** Replaces a webhook channel's secret; the new one is in the answer, and only there. */
    @Transactional
    ChannelView rotateSecret(Actor actor, String project, String team, String channel) {
        Channel c = channel(project, team, channel);
        actor.requireEditorOf(project);
        if (c.kind() != ChannelKind.WEBHOOK) {
            throw ApiException.conflict("channel '" + channel + "' is a "
                    + c.kind().wireName() + " channel: only webhook channels are signed");
        }
        String secret = Secrets.newSecret(SECRET_PREFIX);
        teams.replaceSecret(c.id(), secrets.seal(secret), clock.instant());
        audit.record(actor, "rotate-secret", target(c, project), null, null);
        return ChannelView.of(teams.channel(c.id()).orElseThrow(), true, secret);
    }

    /** Deletes the channel; its notifications stay readable, and those still pending are marked dead. */
    @Transactional
    void deleteChannel(Actor actor, String project, String team, String channel) {
        Channel c = channel(project, team, channel);
        actor.requireEditorOf(project);
        teams.deleteChannel(c.id());
        audit.record(actor, "delete", target(c, project), ChannelView.Audited.of(c), null);
    }

    /** The channel, or 404 naming what is missing (project, team or channel). */
    Channel channel(String project, String team, String channel) {
        Project owner = lookup.project(project);
        Long teamId = team == null ? null : team(owner, team).id();
        return teams.channel(owner.getId(), teamId, channel)
                .orElseThrow(() -> ApiException.notFound("channel '" + channel + "' of " + where(project, team)));
    }

    private Team team(Project owner, String team) {
        return teams.team(owner.getId(), team)
                .orElseThrow(() -> ApiException.notFound("team '" + team + "' of project '" + owner.getKey() + "'"));
    }

    private TeamView view(Actor actor, String project, Team t) {
        boolean showUrl = actor.canEdit(project);
        return new TeamView(
                t.key(),
                t.name(),
                t.createdAt(),
                t.updatedAt(),
                teams.channels(t.projectId(), t.id()).stream()
                        .map(c -> ChannelView.of(c, showUrl, null))
                        .toList());
    }

    private static String where(String project, String team) {
        return team == null ? "the default channels of project '" + project + "'" : "team '" + team + "'";
    }

    private static AuditTarget target(String project, String team) {
        return new AuditTarget("team", team, project, null, null);
    }

    private static AuditTarget target(Channel c, String project) {
        return new AuditTarget("notification-channel", c.qualifiedKey(), project, null, null);
    }
}
