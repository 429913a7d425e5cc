package dev.dimmer.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.IntegrationTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The web console is served at / from the jar: hashed assets cached for good, the page never. */
@IntegrationTest
class ConsoleServingTests {

    private static final Pattern SCRIPT = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"");

    @LocalServerPort
    int port;

    private Api anonymous() {
        return new Api(port, null);
    }

    @Test
    void rootServesTheConsolePageUncached() {
        Api.Response page = anonymous().get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.text()).contains("<div id=\"root\">");
    }

    @Test
    void hashedAssetsAreImmutableForAYear() {
        Matcher script = SCRIPT.matcher(anonymous().get("/").text());
        assertThat(script.find()).as("index.html references a hashed script").isTrue();
        Api.Response asset = anonymous().get(script.group(1));
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.header("Cache-Control")).isEqualTo("max-age=31536000, public, immutable");
        assertThat(asset.header("Content-Type")).contains("javascript");
    }

    @Test
    void clientSideRoutesFallBackToThePage() {
        Api.Response route = anonymous().get("/projects/shop/flags/new-checkout?environment=production");
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(route.text()).contains("<div id=\"root\">");
    }

    @Test
    void missingFilesAndApiPathsAreNotThePage() {
        assertThat(anonymous().get("/assets/index-00000000.js").status()).isEqualTo(404);
        assertThat(anonymous().get("/robots-missing.txt").status()).isEqualTo(404);
        Api.Response api = Api.admin(port).get("/api/v1/no-such-thing");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void onlyReadsAreServedOnConsolePaths() {
        assertThat(anonymous().post("/projects/shop", "{}").status()).isEqualTo(405);
    }
}
