package dev.dimmer.server.system;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Problem answers (RFC 9457) written by filters, which run before Spring MVC's exception
 * handling: authentication, authorization, CSRF, Origin and firewall refusals.
 */
public final class Problems {

    private Problems() {}

    public static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + escape(title) + "\",\"status\":" + status
                        + ",\"detail\":\"" + escape(detail) + "\"}");
    }

    /** JSON string escaping, including control characters (a firewall message may quote a header). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
