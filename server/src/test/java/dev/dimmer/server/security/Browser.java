package dev.dimmer.server.security;

import dev.dimmer.server.testsupport.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console as the server sees it: a cookie jar, the session cookie, and on writes the
 * {@code X-XSRF-TOKEN} header copied from the {@code XSRF-TOKEN} cookie and a same-origin
 * {@code Origin}, as a browser running the console would send them.
 */
final class Browser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CookieManager cookies = new CookieManager();
    private final HttpClient http =
            HttpClient.newBuilder().cookieHandler(cookies).build();
    private final String baseUrl;

    Browser(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    String origin() {
        return baseUrl;
    }

    Api.Response signIn(String username, String password) {
        return send(
                "POST",
                "/api/v1/session",
                Map.of("username", username, "password", password),
                Map.of("Origin", baseUrl));
    }

    Api.Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    /** A console write: CSRF header from the cookie and the console's own Origin. */
    Api.Response write(String method, String path, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Origin", baseUrl);
        String token = cookie("XSRF-TOKEN");
        if (token != null) {
            headers.put("X-XSRF-TOKEN", token);
        }
        return send(method, path, body, headers);
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    /** Puts a cookie into the jar, as if another browser's cookie had been copied here. */
    void setCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create(baseUrl), cookie);
    }

    Api.Response send(String method, String path, Object body, Map<String, String> headers) {
        try {
            String payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .method(
                            method,
                            payload == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(payload));
            if (payload != null && !headers.containsKey("Content-Type")) {
                request.header("Content-Type", "application/json");
            }
            headers.forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
