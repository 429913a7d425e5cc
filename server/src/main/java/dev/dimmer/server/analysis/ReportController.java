package dev.dimmer.server.analysis;

import dev.dimmer.server.flags.Flag;
import dev.dimmer.server.flags.FlagService;
import dev.dimmer.server.projects.Environment;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.SQLException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A flag's experiment report in an environment (docs/statistics.md "Reading a report"): the latest stored analysis,
 * as JSON, or as CSV (one row per metric × treatment) with {@code Accept: text/csv} or {@code ?format=csv}. Viewers
 * (readers of the project) may read it; refreshing it (recomputing now) needs an editor. A GET
 * never computes: without a stored report it answers 404.
 */
@RestController
class ReportController {

    static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    /** Tells the OpenAPI document (and so the console's generated types) what the untyped responses hold. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ApiResponse(
            responseCode = "200",
            description = "the report, as JSON or (format=csv / Accept: text/csv) as CSV",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = ExperimentReport.class)),
                @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
            })
    @interface ReportResponse {}

    private final Lookup lookup;
    private final FlagService flags;
    private final ReportService reports;
    private final UserExport export;
    private final ExperimentSplits splits;

    ReportController(
            Lookup lookup, FlagService flags, ReportService reports, UserExport export, ExperimentSplits splits) {
        this.lookup = lookup;
        this.flags = flags;
        this.reports = reports;
        this.export = export;
        this.splits = splits;
    }

    /**
     * The per-user rows of the latest report (docs/statistics.md "Recomputing a report"), streamed as CSV: key, arm,
     * randomised, and per metric its value and pre-period value. Readers may download it, as they may read the report.
     */
    @GetMapping(
            value = "/api/v1/projects/{project}/environments/{environment}/flags/{flag}/report/users",
            produces = "text/csv")
    ResponseEntity<StreamingResponseBody> users(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable String flag)
            throws SQLException {
        actor.requireReaderOf(project);
        ExperimentReport report = latest(project, environment, flag);
        Environment env = lookup.environment(project, environment);
        Flag f = flags.find(project, flag);
        String label = report.split() != null
                ? report.split().label()
                : splits.of(f.getId(), env.getId()).label();
        StreamingResponseBody body = out -> {
            try {
                export.write(env.getId(), f.getId(), report, label, out);
            } catch (SQLException e) {
                throw new java.io.IOException("the export stopped: " + e.getMessage(), e);
            }
        };
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"" + flag + "-" + environment + "-users.csv\"")
                .body(body);
    }

    @GetMapping("/api/v1/projects/{project}/environments/{environment}/flags/{flag}/report")
    @ReportResponse
    ResponseEntity<?> report(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept)
            throws SQLException {
        actor.requireReaderOf(project);
        return render(latest(project, environment, flag), format, accept);
    }

    /** The same report addressed as in DESIGN §8, with the environment as a parameter. */
    @GetMapping("/api/v1/projects/{project}/flags/{flag}/report")
    @ReportResponse
    ResponseEntity<?> reportByParameter(
            Actor actor,
            @PathVariable String project,
            @PathVariable String flag,
            @RequestParam String environment,
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept)
            throws SQLException {
        actor.requireReaderOf(project);
        return render(latest(project, environment, flag), format, accept);
    }

    @PostMapping("/api/v1/projects/{project}/environments/{environment}/flags/{flag}/report/refresh")
    @ReportResponse
    ResponseEntity<?> refresh(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @PathVariable String flag,
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept)
            throws SQLException {
        return render(fresh(actor, project, environment, flag), format, accept);
    }

    @PostMapping("/api/v1/projects/{project}/flags/{flag}/report/refresh")
    @ReportResponse
    ResponseEntity<?> refreshByParameter(
            Actor actor,
            @PathVariable String project,
            @PathVariable String flag,
            @RequestParam String environment,
            @RequestParam(required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept)
            throws SQLException {
        return render(fresh(actor, project, environment, flag), format, accept);
    }

    /**
     * The latest stored report. A GET never computes (a reader must not be able to load the
     * database at will): without a stored report the answer is a 404 saying how to get one.
     */
    private ExperimentReport latest(String projectKey, String environmentKey, String flagKey) throws SQLException {
        Project project = lookup.project(projectKey);
        Environment environment = lookup.environment(project, environmentKey);
        Flag flag = flags.find(projectKey, flagKey);
        Optional<ReportService.LatestRun> run = reports.latestRun(environment.getId(), flag.getId());
        if (run.isEmpty()) {
            throw new ApiException(
                    HttpStatus.NOT_FOUND,
                    "No report yet",
                    "no report has been computed for flag '" + flagKey + "' in environment '" + environmentKey
                            + "' yet: the analysis job computes it within dimmer.analysis.interval once the flag has"
                            + " exposure, or an editor can compute it now with POST …/report/refresh");
        }
        // The day-by-day series is for people reading the report; jobs reading reports (alerts) do without it.
        return reports.withEffectOverTime(reports.load(run.get().id()), environment.getId(), flag.getId());
    }

    private ExperimentReport fresh(Actor actor, String projectKey, String environmentKey, String flagKey)
            throws SQLException {
        Project project = lookup.project(projectKey);
        Environment environment = lookup.environment(project, environmentKey);
        Flag flag = flags.find(projectKey, flagKey);
        actor.requireEditorOf(projectKey);
        return reports.withEffectOverTime(
                reports.refresh(project, environment, flag, null), environment.getId(), flag.getId());
    }

    private static ResponseEntity<?> render(ExperimentReport report, String format, String accept) {
        boolean csv = format != null ? format.equalsIgnoreCase("csv") : accept != null && accept.contains("text/csv");
        if (csv) {
            return ResponseEntity.ok()
                    .contentType(CSV)
                    .header(
                            HttpHeaders.CONTENT_DISPOSITION,
                            "attachment; filename=\"" + report.flag() + "-" + report.environment() + "-report.csv\"")
                    .body(ReportCsv.write(report));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
    }
}
