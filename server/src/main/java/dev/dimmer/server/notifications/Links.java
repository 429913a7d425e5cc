package dev.dimmer.server.notifications;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/** Links into the console for notifications, from {@code dimmer.notifications.public-url}. */
@Component
class Links {

    private final NotificationProperties properties;

    Links(NotificationProperties properties) {
        this.properties = properties;
    }

    /** The flag's page in the environment (its report tab), or null when no public URL is configured. */
    String flag(String project, String flag, String environment) {
        if (properties.publicUrl().isEmpty()) {
            return null;
        }
        return properties.publicUrl() + "/projects/" + encode(project) + "/flags/" + encode(flag)
                + (environment == null ? "" : "/" + encode(environment));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
