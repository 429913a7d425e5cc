package dev.dimmer.server.audit;

import static dev.dimmer.server.testsupport.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.Fixtures;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AuditApiTests {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void everyChangeIsRecordedAndFilterableByProjectFlagActorAndTime() {
        Api admin = Api.admin(port);
        Instant start = Instant.now().minusSeconds(1);
        String project = Fixtures.project(admin);
        String editor = expect(
                        admin.post(
                                "/api/v1/tokens",
                                Map.of("name", "editor-" + project, "role", "editor", "projects", List.of(project))),
                        201)
                .json()
                .get("secret")
                .asString();
        Fixtures.flag(admin.as(editor), project, "audited");
        Fixtures.flag(admin, project, "other");

        JsonNode byProject = admin.get("/api/v1/audit?project=" + project).json();
        assertThat(byProject.findValuesAsString("entityType")).contains("project", "environment", "flag");
        JsonNode byFlag =
                admin.get("/api/v1/audit?project=" + project + "&flag=audited").json();
        assertThat(byFlag).hasSize(1);
        assertThat(byFlag.get(0).get("actor").asString()).isEqualTo("token:editor-" + project);
        assertThat(byFlag.get(0).get("before").isNull()).isTrue();
        assertThat(byFlag.get(0).get("after").get("key").asString()).isEqualTo("audited");

        JsonNode byActor =
                admin.get("/api/v1/audit?actor=token:editor-" + project).json();
        assertThat(byActor.findValuesAsString("flag")).containsExactly("audited");
        assertThat(admin.get("/api/v1/audit?project=" + project + "&since=" + start)
                        .json())
                .hasSize(byProject.size());
        assertThat(admin.get("/api/v1/audit?project=" + project + "&since="
                                + Instant.now().plusSeconds(60))
                        .json())
                .isEmpty();
        assertThat(admin.get("/api/v1/audit?project=" + project + "&limit=2").json())
                .hasSize(2);
        expect(admin.get("/api/v1/audit?since=yesterday"), 400);
        expect(admin.get("/api/v1/audit?limit=0"), 400);
    }

    @Test
    void noApiChangesOrDeletesAnEntryAndTheDatabaseRefusesToo() {
        Api admin = Api.admin(port);
        Fixtures.project(admin);
        assertThat(admin.delete("/api/v1/audit/1").status()).isIn(404, 405);
        assertThat(admin.put("/api/v1/audit/1", Map.of()).status()).isIn(404, 405);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_entries")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("UPDATE audit_entries SET actor = 'someone else'"))
                .hasMessageContaining("append-only");
    }
}
