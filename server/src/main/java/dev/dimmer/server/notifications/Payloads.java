package dev.dimmer.server.notifications;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a {@link Notice} as the body a channel sends, once, when the notice is written to the outbox: every attempt
 * sends the same bytes. The webhook payload's schema is documented in docs/guardrails.md "Webhook payload"; a change
 * that breaks a receiver bumps {@link #VERSION}.
 */
@Component
class Payloads {

    static final int VERSION = 1;

    /** Slack refuses a header block longer than this. */
    private static final int SLACK_HEADER_MAX = 150;

    private static final int SLACK_TEXT_MAX = 2900;

    private final JsonMapper json;

    Payloads(JsonMapper json) {
        this.json = json;
    }

    String render(ChannelKind kind, UUID deliveryId, String team, Notice notice, Instant createdAt) {
        return switch (kind) {
            case WEBHOOK -> webhook(deliveryId, team, notice, createdAt);
            case SLACK -> slack(notice);
        };
    }

    private String webhook(UUID deliveryId, String team, Notice n, Instant createdAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", VERSION);
        body.put("id", deliveryId.toString());
        body.put("kind", n.kind());
        body.put("createdAt", createdAt.toString());
        body.put("project", n.project());
        body.put("environment", n.environment());
        body.put("flag", n.flag());
        body.put("team", team);
        body.put("title", n.title());
        body.put("text", n.text());
        body.put("link", n.link());
        body.put("details", n.details() == null ? Map.of() : n.details());
        return json.writeValueAsString(body);
    }

    /**
     * Block Kit for a person: the title, the sentences, then the facts an on-call engineer looks for first (which flag
     * where, which metric, how much worse with its interval, how many users, what Dimmer did) and a link. {@code text}
     * is the fallback shown in notifications and by Slack-compatible servers without blocks.
     */
    private String slack(Notice n) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", plain(cut(n.title(), SLACK_HEADER_MAX))));
        if (n.text() != null && !n.text().isBlank()) {
            blocks.add(Map.of("type", "section", "text", markdown(cut(escape(n.text()), SLACK_TEXT_MAX))));
        }
        List<Object> fields = new ArrayList<>();
        if (n.flag() != null) {
            fields.add(markdown("*Flag*\n`" + escape(n.flag()) + "`"
                    + (n.environment() == null ? "" : " in " + escape(n.environment())) + " (" + escape(n.project())
                    + ")"));
        }
        Map<String, Object> d = n.details() == null ? Map.of() : n.details();
        if (d.get("metric") != null) {
            fields.add(markdown("*Metric*\n" + escape(String.valueOf(d.get("metric")))));
        }
        String effect = effect(d);
        if (effect != null) {
            fields.add(markdown("*Change*\n" + escape(effect)));
        }
        String users = users(d);
        if (users != null) {
            fields.add(markdown("*Users*\n" + escape(users)));
        }
        if (d.get("action") != null) {
            fields.add(markdown("*Dimmer did*\n" + escape(String.valueOf(d.get("action")))));
        }
        if (!fields.isEmpty()) {
            blocks.add(Map.of("type", "section", "fields", fields.subList(0, Math.min(10, fields.size()))));
        }
        if (n.link() != null && !n.link().isBlank()) {
            blocks.add(Map.of("type", "section", "text", markdown("<" + n.link() + "|Open in Dimmer>")));
        }
        blocks.add(Map.of("type", "context", "elements", List.of(markdown("Dimmer · " + escape(n.kind())))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", n.title() + (n.link() == null ? "" : " " + n.link()));
        body.put("blocks", blocks);
        return json.writeValueAsString(body);
    }

    /**
     * The change the notice reports: {@code details.effect} as the producer wrote it, else built from {@code
     * relativeLift} (0.12 = +12 %), {@code difference}, {@code lower}/{@code upper} (the 95 % interval of the
     * difference) and {@code p}.
     */
    static String effect(Map<String, Object> d) {
        if (d.get("effect") instanceof String s && !s.isBlank()) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        if (d.get("relativeLift") instanceof Number lift) {
            out.append(String.format(Locale.ROOT, "%+.1f %%", lift.doubleValue() * 100));
        }
        if (d.get("difference") instanceof Number diff) {
            out.append(out.length() == 0 ? "" : ", ").append("difference ").append(signed(diff.doubleValue()));
        }
        if (d.get("lower") instanceof Number lo && d.get("upper") instanceof Number hi) {
            out.append(" (95 % interval ")
                    .append(signed(lo.doubleValue()))
                    .append(" to ")
                    .append(signed(hi.doubleValue()))
                    .append(")");
        }
        if (d.get("p") instanceof Number p) {
            out.append(", p = ").append(significant(p.doubleValue()));
        }
        return out.length() == 0 ? null : out.toString().trim();
    }

    /** Four significant digits, no trailing zeros, with its sign: {@code +4.1}, {@code -0.0312}. */
    static String signed(double value) {
        String digits = significant(value);
        return value > 0 ? "+" + digits : digits;
    }

    /** Four significant digits, no trailing zeros, no exponent: {@code 0.0004}, {@code 19.9}. */
    static String significant(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return new java.math.BigDecimal(value)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** {@code usersPerArm} ({treatment: users}) or {@code users}. */
    static String users(Map<String, Object> d) {
        if (d.get("usersPerArm") instanceof Map<?, ?> arms && !arms.isEmpty()) {
            StringBuilder out = new StringBuilder();
            arms.forEach((arm, count) -> out.append(out.length() == 0 ? "" : ", ")
                    .append(arm)
                    .append(": ")
                    .append(count));
            return out.toString();
        }
        return d.get("users") == null ? null : String.valueOf(d.get("users"));
    }

    private static Map<String, Object> plain(String text) {
        return Map.of("type", "plain_text", "text", text == null || text.isBlank() ? "Dimmer" : text);
    }

    private static Map<String, Object> markdown(String text) {
        return Map.of("type", "mrkdwn", "text", text);
    }

    /** Slack's three control characters in text (a flag key or comment must not become a link or a mention). */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
