package dev.dimmer.server.notifications;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Teams and channels through the admin API; the test notification; plan and schedule outcomes told to the team. */
@NotificationsIntegrationTest
class TeamApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api admin;
    String project;
    Receiver receiver;

    @BeforeEach
    void setUp() {
        admin = Api.admin(port);
        project = Fixtures.project(admin);
        receiver = new Receiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private String teams() {
        return "/api/v1/projects/" + project + "/teams";
    }

    private String tokenFor(String role, String forProject) {
        return expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", Api.uniqueKey("t"), "role", role, "projects", List.of(forProject))),
                        201)
                .json()
                .get("secret")
                .asString();
    }

    private static List<String> pointers(Api.Response r) {
        return r.json().get("errors").findValuesAsString("pointer");
    }

    @Test
    void teamsAreCreatedListedRenamedAndDeleted_byEditorsOfTheProject_audited() {
        JsonNode created = expect(admin.post(teams(), Map.of("key", "checkout", "name", "Checkout")), 201)
                .json();
        assertThat(created.get("key").asString()).isEqualTo("checkout");
        assertThat(created.get("channels")).isEmpty();
        expect(admin.post(teams(), Map.of("key", "checkout")), 409);

        String editor = tokenFor("editor", project);
        expect(admin.as(editor).post(teams(), Map.of("key", "search")), 201);
        assertThat(expect(admin.get(teams()), 200).json().findValuesAsString("key"))
                .containsExactly("checkout", "search");
        assertThat(expect(admin.as(editor).patch(teams() + "/search", Map.of("name", "Search & Discovery")), 200)
                        .json()
                        .get("name")
                        .asString())
                .isEqualTo("Search & Discovery");
        expect(admin.as(editor).delete(teams() + "/search"), 204);
        expect(admin.get(teams() + "/search"), 404);

        String viewer = tokenFor("viewer", project);
        expect(admin.as(viewer).get(teams()), 200);
        expect(admin.as(viewer).post(teams(), Map.of("key", "nope")), 403);
        String otherProject = Fixtures.project(admin);
        expect(admin.as(tokenFor("viewer", otherProject)).get(teams()), 403);
        expect(admin.as(tokenFor("editor", otherProject)).post(teams(), Map.of("key", "intruder")), 403);

        assertThat(jdbc.queryForList(
                        "SELECT action FROM audit_entries WHERE project = ? AND entity_type = 'team' ORDER BY id",
                        String.class,
                        project))
                .containsExactly("create", "create", "update", "delete");
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        Api.Response bad = admin.post(teams(), Map.of("key", "Bad Key!", "name", "x".repeat(201)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(pointers(bad)).containsExactlyInAnyOrder("/key", "/name");

        expect(admin.post(teams(), Map.of("key", "ops")), 201);
        Api.Response channel = admin.post(
                teams() + "/ops/channels", Map.of("key", "pager", "kind", "carrier-pigeon", "url", "gopher://x"));
        assertThat(channel.status()).isEqualTo(400);
        assertThat(pointers(channel)).containsExactlyInAnyOrder("/kind", "/url");
        expect(admin.post(teams() + "/nobody/channels", Map.of("key", "x", "kind", "slack", "url", "http://x")), 404);
    }

    @Test
    void channelUrlsToMetadataLinkLocalAndLoopbackAreRefused_unlessTheOperatorAllowsThem() {
        expect(admin.post(teams(), Map.of("key", "ops")), 201);
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "http://169.254.1.1/",
                "http://[fe80::1]/hook",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://[::1]:8080/",
                "http://127.0.0.2/",
                "http://0.0.0.0/",
                "http://user:pw@example.com/",
                "file:///etc/passwd",
                "ftp://example.com/hook")) {
            Api.Response refused =
                    admin.post(teams() + "/ops/channels", Map.of("key", "hook", "kind", "webhook", "url", url));
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(pointers(refused)).as(url).containsExactly("/url");
        }
        Api.Response metadata = admin.post(
                teams() + "/ops/channels",
                Map.of("key", "hook", "kind", "webhook", "url", "http://169.254.169.254/latest/meta-data/"));
        assertThat(metadata.text()).contains("link-local", "dimmer.notifications.allow-addresses");
        // 127.0.0.1 is allowed by this test server's dimmer.notifications.allow-addresses, and only it.
        expect(
                admin.post(
                        teams() + "/ops/channels",
                        Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/ok"))),
                201);
        expect(admin.patch(teams() + "/ops/channels/hook", Map.of("url", "http://169.254.169.254/")), 400);
    }

    @Test
    void theWebhookSecretIsShownOnce_storedEncrypted_neverAudited_andCanBeReplaced() {
        expect(admin.post(teams(), Map.of("key", "ops")), 201);
        JsonNode created = expect(
                        admin.post(
                                teams() + "/ops/channels",
                                Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/signed"))),
                        201)
                .json();
        String secret = created.get("secret").asString();
        assertThat(secret).startsWith("dwh_").hasSizeGreaterThan(40);
        assertThat(created.get("signed").asBoolean()).isTrue();

        Api.Response read = expect(admin.get(teams() + "/ops/channels/hook"), 200);
        assertThat(read.json().has("secret")).isFalse();
        assertThat(expect(admin.get(teams()), 200).text()).doesNotContain(secret);
        String stored = jdbc.queryForObject(
                "SELECT c.secret FROM notification_channels c JOIN projects p ON p.id = c.project_id"
                        + " WHERE p.key = ? AND c.key = 'hook'",
                String.class,
                project);
        assertThat(stored).startsWith("v1:").doesNotContain(secret);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_entries WHERE project = ? AND (after::text LIKE ?"
                                + " OR before::text LIKE ?)",
                        Long.class,
                        project,
                        "%" + secret + "%",
                        "%" + secret + "%"))
                .isZero();

        String rotated = expect(admin.post(teams() + "/ops/channels/hook/secret", null), 200)
                .json()
                .get("secret")
                .asString();
        assertThat(rotated).startsWith("dwh_").isNotEqualTo(secret);
        receiver.secret("/signed", rotated);
        JsonNode test = expect(admin.post(teams() + "/ops/channels/hook/test", null), 200)
                .json();
        assertThat(test.get("status").asString()).isEqualTo("sent");
        assertThat(receiver.at("/signed").get(0).signatureValid())
                .as("signed with the new secret")
                .isTrue();
    }

    @Test
    void aTestNotificationIsSentAtOnce_andAnswersWithItsDeliveryLog() {
        expect(admin.post(teams(), Map.of("key", "ops")), 201);
        JsonNode hook = expect(
                        admin.post(
                                teams() + "/ops/channels",
                                Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/test"))),
                        201)
                .json();
        receiver.secret("/test", hook.get("secret").asString());

        JsonNode sent = expect(admin.post(teams() + "/ops/channels/hook/test", null), 200)
                .json();
        assertThat(sent.get("kind").asString()).isEqualTo("test");
        assertThat(sent.get("status").asString()).isEqualTo("sent");
        assertThat(sent.get("deliveries")).hasSize(1);
        assertThat(sent.get("deliveries").get(0).get("statusCode").asInt()).isEqualTo(200);
        assertThat(receiver.at("/test")).singleElement().satisfies(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.body()).contains("\"kind\":\"test\"", "\"team\":\"ops\"");
        });

        receiver.script("/test", 500);
        JsonNode failed = expect(admin.post(teams() + "/ops/channels/hook/test", null), 200)
                .json();
        assertThat(failed.get("status").asString())
                .as("a test is tried once, so the caller sees the outcome")
                .isEqualTo("dead");
        assertThat(failed.get("deliveries").get(0).get("statusCode").asInt()).isEqualTo(500);
        assertThat(failed.get("deliveries").get(0).get("responseBody").asString())
                .contains("answer 500");
        expect(admin.as(tokenFor("viewer", project)).post(teams() + "/ops/channels/hook/test", null), 403);
    }

    @Test
    void aPlanTransitionAndAFailedScheduleNotifyTheFlagsOwningTeam() {
        expect(admin.post(teams(), Map.of("key", "checkout")), 201);
        JsonNode hook = expect(
                        admin.post(
                                teams() + "/checkout/channels",
                                Map.of("key", "hook", "kind", "webhook", "url", receiver.url("/checkout"))),
                        201)
                .json();
        receiver.secret("/checkout", hook.get("secret").asString());
        Fixtures.flag(admin, project, "new-cart"); // ownerTeam: checkout
        String flagPath = "/api/v1/projects/" + project + "/environments/production/flags/new-cart";
        Map<String, Object> stage = Map.of(
                "segments",
                List.of(),
                "weight",
                1000,
                "minDuration",
                "PT1H",
                "minSamplePerArm",
                100,
                "requiresApproval",
                false);
        expect(admin.put(flagPath + "/plan", Map.of("onBreach", "ROLLBACK", "stages", List.of(stage))), 201);
        expect(admin.post(flagPath + "/plan/start", null), 200);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> !receiver.at("/checkout").isEmpty());
        Receiver.Received started = receiver.at("/checkout").get(0);
        assertThat(started.signatureValid()).isTrue();
        System.out.println("plan notification from a test run: " + started.body());
        assertThat(started.body())
                .contains("\"kind\":\"plan.started\"", "\"flag\":\"new-cart\"", "\"team\":\"checkout\"")
                .contains("\"transition\":\"STARTED\"", "\"environment\":\"production\"")
                .contains("\"text\":\"started by token:bootstrap at stage 1/1 '10%'.\"");

        // A scheduled change whose flag a person changed meanwhile fails, and the team is told.
        Fixtures.flag(admin, project, "old-cart"); // ownerTeam: checkout
        String oldCart = "/api/v1/projects/" + project + "/environments/production/flags/old-cart";
        expect(
                admin.post(
                        oldCart + "/schedules",
                        Map.of("runAt", Instant.now().plusSeconds(2).toString(), "action", "ENABLE")),
                201);
        Fixtures.configure(
                admin,
                project,
                "production",
                "old-cart",
                Map.of(
                        "enabled",
                        false,
                        "offTreatment",
                        "off",
                        "rules",
                        List.of(),
                        "defaultServe",
                        Map.of("treatment", "on")));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> receiver.at("/checkout").stream()
                        .anyMatch(r -> r.body().contains("\"kind\":\"schedule.failed\"")));
        JsonNode listed = expect(admin.get("/api/v1/projects/" + project + "/notifications?flag=new-cart"), 200)
                .json();
        assertThat(listed.findValuesAsString("kind")).contains("plan.started");
        assertThat(expect(admin.get("/api/v1/projects/" + project + "/notifications?kind=schedule.failed"), 200)
                        .json()
                        .findValuesAsString("flag"))
                .containsExactly("old-cart");
    }
}
