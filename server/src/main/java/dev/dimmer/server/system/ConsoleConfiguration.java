package dev.dimmer.server.system;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the web console ({@code web-ui/}, shipped as {@code static/} by the {@code dimmer-console} jar) at
 * {@code /}:
 *
 * <ul>
 *   <li>{@code /assets/**}: Vite's content-hashed files. A new build has new names, so a browser may keep these for a
 *       year without asking again ({@code immutable}); a missing one is a 404, never the page.
 *   <li>any other GET outside the API: the file when it exists ({@code favicon.svg}…), otherwise {@code index.html},
 *       so a client-side route such as {@code /projects/shop/flags/checkout} survives a reload. Both are
 *       {@code no-cache}: the browser revalidates {@code index.html} on every load, which is how it learns the new
 *       asset names after an upgrade.
 * </ul>
 *
 * API paths never fall back to the page: an unknown {@code /api/…} stays a problem+json 404. Only GET and HEAD are
 * served; other methods on these paths are refused (405).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/static/";

    /** Paths the console never answers for; they belong to the server's own endpoints. */
    private static final List<String> SERVER_PATHS = List.of("api/", "actuator", "v3/", "swagger-ui", "webjars/");

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(
                        CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache())
                .resourceChain(true)
                .addResolver(new SinglePageAppResolver());
    }

    /** The requested file, or {@code index.html} for a client-side route. */
    static final class SinglePageAppResolver extends PathResourceResolver {

        @Override
        protected Resource getResource(String resourcePath, Resource location) throws IOException {
            // Case-insensitive like the security chains' matchers: "/API/V1/…" is an unknown API path (404), not a
            // client-side route.
            String lowerCase = resourcePath.toLowerCase(Locale.ROOT);
            if (SERVER_PATHS.stream().anyMatch(lowerCase::startsWith)) {
                return null;
            }
            if (!resourcePath.isEmpty()) {
                Resource file = super.getResource(resourcePath, location);
                if (file != null) {
                    return file;
                }
                String last = resourcePath.substring(resourcePath.lastIndexOf('/') + 1);
                if (last.contains(".")) {
                    return null; // a missing file (robots.txt, an old asset) is a 404, not the page
                }
            }
            return super.getResource("index.html", location);
        }
    }
}
