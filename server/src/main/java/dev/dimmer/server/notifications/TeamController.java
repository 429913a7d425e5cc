package dev.dimmer.server.notifications;

import dev.dimmer.server.security.Actor;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Teams of a project, their notification channels, and the project's default channels (docs/api.md "Teams and
 * notification channels").
 */
@RestController
class TeamController {

    private static final String TEAMS = "/api/v1/projects/{project}/teams";
    private static final String TEAM_CHANNELS = TEAMS + "/{team}/channels";
    private static final String DEFAULT_CHANNELS = "/api/v1/projects/{project}/channels";

    private final TeamService teams;
    private final NotificationService notifications;

    TeamController(TeamService teams, NotificationService notifications) {
        this.teams = teams;
        this.notifications = notifications;
    }

    @PostMapping(TEAMS)
    @ResponseStatus(HttpStatus.CREATED)
    TeamView createTeam(Actor actor, @PathVariable String project, @RequestBody TeamService.TeamRequest request) {
        return teams.createTeam(actor, project, request);
    }

    @GetMapping(TEAMS)
    List<TeamView> teams(Actor actor, @PathVariable String project) {
        return teams.teams(actor, project);
    }

    @GetMapping(TEAMS + "/{team}")
    TeamView team(Actor actor, @PathVariable String project, @PathVariable String team) {
        return teams.team(actor, project, team);
    }

    @PatchMapping(TEAMS + "/{team}")
    TeamView updateTeam(
            Actor actor,
            @PathVariable String project,
            @PathVariable String team,
            @RequestBody TeamService.TeamPatch patch) {
        return teams.updateTeam(actor, project, team, patch);
    }

    /** Deletes the team and its channels; flags it owned then notify the project's default channels. */
    @DeleteMapping(TEAMS + "/{team}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteTeam(Actor actor, @PathVariable String project, @PathVariable String team) {
        teams.deleteTeam(actor, project, team);
    }

    /** Creates a channel; a webhook channel's signing secret is in this answer and never shown again. */
    @PostMapping(TEAM_CHANNELS)
    @ResponseStatus(HttpStatus.CREATED)
    ChannelView createChannel(
            Actor actor,
            @PathVariable String project,
            @PathVariable String team,
            @RequestBody TeamService.ChannelRequest request) {
        return teams.createChannel(actor, project, team, request);
    }

    @GetMapping(TEAM_CHANNELS)
    List<ChannelView> channels(Actor actor, @PathVariable String project, @PathVariable String team) {
        return teams.channels(actor, project, team);
    }

    @GetMapping(TEAM_CHANNELS + "/{channel}")
    ChannelView channel(
            Actor actor, @PathVariable String project, @PathVariable String team, @PathVariable String channel) {
        return teams.channel(actor, project, team, channel);
    }

    @PatchMapping(TEAM_CHANNELS + "/{channel}")
    ChannelView updateChannel(
            Actor actor,
            @PathVariable String project,
            @PathVariable String team,
            @PathVariable String channel,
            @RequestBody TeamService.ChannelPatch patch) {
        return teams.updateChannel(actor, project, team, channel, patch);
    }

    @DeleteMapping(TEAM_CHANNELS + "/{channel}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteChannel(
            Actor actor, @PathVariable String project, @PathVariable String team, @PathVariable String channel) {
        teams.deleteChannel(actor, project, team, channel);
    }

    /** A new signing secret for a webhook channel, in this answer only; the old one stops working at once. */
    @PostMapping(TEAM_CHANNELS + "/{channel}/secret")
    ChannelView rotateSecret(
            Actor actor, @PathVariable String project, @PathVariable String team, @PathVariable String channel) {
        return teams.rotateSecret(actor, project, team, channel);
    }

    /** Sends a test notification to the channel now (one attempt) and answers with its delivery log. */
    @PostMapping(TEAM_CHANNELS + "/{channel}/test")
    NotificationView test(
            Actor actor, @PathVariable String project, @PathVariable String team, @PathVariable String channel) {
        return notifications.sendTest(actor, project, team, channel);
    }

    @PostMapping(DEFAULT_CHANNELS)
    @ResponseStatus(HttpStatus.CREATED)
    ChannelView createDefaultChannel(
            Actor actor, @PathVariable String project, @RequestBody TeamService.ChannelRequest request) {
        return teams.createChannel(actor, project, null, request);
    }

    @GetMapping(DEFAULT_CHANNELS)
    List<ChannelView> defaultChannels(Actor actor, @PathVariable String project) {
        return teams.channels(actor, project, null);
    }

    @GetMapping(DEFAULT_CHANNELS + "/{channel}")
    ChannelView defaultChannel(Actor actor, @PathVariable String project, @PathVariable String channel) {
        return teams.channel(actor, project, null, channel);
    }

    @PatchMapping(DEFAULT_CHANNELS + "/{channel}")
    ChannelView updateDefaultChannel(
            Actor actor,
            @PathVariable String project,
            @PathVariable String channel,
            @RequestBody TeamService.ChannelPatch patch) {
        return teams.updateChannel(actor, project, null, channel, patch);
    }

    @DeleteMapping(DEFAULT_CHANNELS + "/{channel}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteDefaultChannel(Actor actor, @PathVariable String project, @PathVariable String channel) {
        teams.deleteChannel(actor, project, null, channel);
    }

    @PostMapping(DEFAULT_CHANNELS + "/{channel}/secret")
    ChannelView rotateDefaultSecret(Actor actor, @PathVariable String project, @PathVariable String channel) {
        return teams.rotateSecret(actor, project, null, channel);
    }

    @PostMapping(DEFAULT_CHANNELS + "/{channel}/test")
    NotificationView testDefault(Actor actor, @PathVariable String project, @PathVariable String channel) {
        return notifications.sendTest(actor, project, null, channel);
    }
}
