package dev.dimmer.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/api-reference.md} is generated from {@code docs/openapi.json} (which {@link OpenApiDocumentTests} keeps
 * equal to what the server serves), so the reference cannot drift from the API: this test fails when the committed
 * page differs from what it would write. {@code -Ddimmer.openapi.write=true} rewrites the page instead. Plain Java,
 * no Spring context: it reads a file and renders Markdown, one section per tag (controller), then the schemas.
 */
class ApiReferenceTests {

    static final Path OPENAPI = Path.of("..", "docs", "openapi.json");

    static final Path COMMITTED = Path.of("..", "docs", "api-reference.md");

    private static final List<String> METHOD_ORDER = List.of("get", "post", "put", "patch", "delete");

    @Test
    void committedReferenceIsGeneratedFromTheOpenApiDocument() throws IOException {
        String generated = render(read());

        if (Boolean.getBoolean(OpenApiDocumentTests.WRITE_PROPERTY)) {
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        Files.writeString(Path.of("target", "api-reference.md"), generated, StandardCharsets.UTF_8);
        assertThat(Files.exists(COMMITTED))
                .as("docs/api-reference.md is missing; create it with -D%s=true", OpenApiDocumentTests.WRITE_PROPERTY)
                .isTrue();
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("docs/api-reference.md is stale: docs/openapi.json changed. Refresh it with\n"
                        + "  ./mvnw -pl server -am test -Dtest=ApiReferenceTests -Dsurefire.failIfNoSpecifiedTests=false -D"
                        + OpenApiDocumentTests.WRITE_PROPERTY + "=true\n"
                        + "(or copy server/target/api-reference.md)")
                .isEqualTo(generated);
    }

    @Test
    void everyOperationOfTheDocumentIsInTheReference() throws IOException {
        Map<String, Object> document = read();
        String generated = render(document);
        for (var path : map(document.get("paths")).entrySet()) {
            for (String method : map(path.getValue()).keySet()) {
                assertThat(generated).contains("### `" + method.toUpperCase(Locale.ROOT) + " " + path.getKey() + "`");
            }
        }
        assertThat(generated).contains("### ConfigurationUpdate").contains("[`ConfigurationView`](#configurationview)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read() throws IOException {
        return JsonMapper.builder().build().readValue(Files.readString(OPENAPI, StandardCharsets.UTF_8), Map.class);
    }

    /** The whole page: a table of contents, one section per tag, then every schema. */
    static String render(Map<String, Object> document) {
        Map<String, List<Operation>> byTag = new TreeMap<>();
        for (var path : map(document.get("paths")).entrySet()) {
            for (var operation : map(path.getValue()).entrySet()) {
                Map<String, Object> op = map(operation.getValue());
                List<Object> tags = list(op.get("tags"));
                String tag = tags.isEmpty() ? "other" : String.valueOf(tags.get(0));
                byTag.computeIfAbsent(title(tag), t -> new ArrayList<>())
                        .add(new Operation(operation.getKey(), path.getKey(), op));
            }
        }
        byTag.values()
                .forEach(ops -> ops.sort(
                        Comparator.comparing(Operation::path).thenComparing(o -> METHOD_ORDER.indexOf(o.method()))));

        StringBuilder out = new StringBuilder();
        out.append("# API reference\n\n")
                .append("<!-- Generated from docs/openapi.json by server/src/test/java/dev/dimmer/server/system/")
                .append("ApiReferenceTests.java. Do not edit: the test fails when this file differs from what it")
                .append(" generates. -->\n\n")
                .append("Every operation of the server's OpenAPI document ([openapi.json](openapi.json), served at ")
                .append("`/v3/api-docs`, browsable at `/swagger-ui.html`), grouped by controller. Authentication, ")
                .append("roles, errors (RFC 9457 problem+json), `ETag`/`If-Match` and the audit comment header are ")
                .append("explained in [api.md](api.md); what each call means is in the feature pages linked from the ")
                .append(
                        "[README](../README.md#documentation). Admin API paths start with `/api/v1`, the SDK API's with ")
                .append("`/api/sdk/v1`.\n\n")
                .append("Regenerate after `docs/openapi.json` changes:\n\n")
                .append("```sh\n")
                .append("./mvnw -B -o -q -pl server -am test -Ddimmer.console.skip=true -Dtest=ApiReferenceTests \\\n")
                .append("  -Dsurefire.failIfNoSpecifiedTests=false -Ddimmer.openapi.write=true\n")
                .append("```\n\n");
        out.append("## Contents\n\n");
        byTag.forEach((tag, ops) -> out.append("- [")
                .append(tag)
                .append("](#")
                .append(anchor(tag))
                .append(") — ")
                .append(ops.size())
                .append(ops.size() == 1 ? " operation\n" : " operations\n"));
        out.append("- [Schemas](#schemas)\n\n");

        byTag.forEach((tag, ops) -> {
            out.append("## ").append(tag).append("\n\n");
            ops.forEach(op -> renderOperation(out, op));
        });

        out.append("## Schemas\n\n");
        Map<String, Object> schemas = map(map(document.get("components")).get("schemas"));
        new TreeMap<>(schemas).forEach((name, schema) -> renderSchema(out, name, map(schema)));
        return out.toString().stripTrailing() + "\n";
    }

    private static void renderOperation(StringBuilder out, Operation op) {
        Map<String, Object> o = op.operation();
        out.append("### `")
                .append(op.method().toUpperCase(Locale.ROOT))
                .append(" ")
                .append(op.path())
                .append("`\n\n");
        text(o.get("summary")).ifPresent(s -> out.append(s).append("\n\n"));
        text(o.get("description")).ifPresent(s -> out.append(s).append("\n\n"));
        out.append("Operation id `").append(o.get("operationId")).append("`.");
        if (Boolean.TRUE.equals(o.get("deprecated"))) {
            out.append(" **Deprecated.**");
        }
        out.append("\n\n");

        List<Object> parameters = list(o.get("parameters"));
        if (!parameters.isEmpty()) {
            out.append("| Parameter | In | Type | Required | Description |\n|---|---|---|---|---|\n");
            for (Object p : parameters) {
                Map<String, Object> parameter = map(p);
                out.append("| `")
                        .append(parameter.get("name"))
                        .append("` | ")
                        .append(parameter.get("in"))
                        .append(" | ")
                        .append(type(map(parameter.get("schema"))))
                        .append(" | ")
                        .append(Boolean.TRUE.equals(parameter.get("required")) ? "yes" : "no")
                        .append(" | ")
                        .append(cell(parameter.get("description")))
                        .append(" |\n");
            }
            out.append("\n");
        }

        Map<String, Object> body = map(o.get("requestBody"));
        if (!body.isEmpty()) {
            out.append("Request body")
                    .append(Boolean.TRUE.equals(body.get("required")) ? " (required)" : " (optional)")
                    .append(": ")
                    .append(content(map(body.get("content"))))
                    .append(".\n\n");
        }

        out.append("| Response | Description | Content |\n|---|---|---|\n");
        new TreeMap<>(map(o.get("responses"))).forEach((status, r) -> {
            Map<String, Object> response = map(r);
            Map<String, Object> content = map(response.get("content"));
            out.append("| ")
                    .append(status)
                    .append(" | ")
                    .append(cell(response.get("description")))
                    .append(" | ")
                    .append(content.isEmpty() ? "—" : content(content))
                    .append(" |\n");
        });
        out.append("\n");
    }

    private static void renderSchema(StringBuilder out, String name, Map<String, Object> schema) {
        out.append("### ").append(name).append("\n\n");
        text(schema.get("description")).ifPresent(s -> out.append(s).append("\n\n"));
        Map<String, Object> properties = map(schema.get("properties"));
        if (properties.isEmpty()) {
            out.append("Type: ").append(type(schema)).append(".\n\n");
            return;
        }
        TreeSet<String> required = new TreeSet<>();
        list(schema.get("required")).forEach(r -> required.add(String.valueOf(r)));
        out.append("| Property | Type | Required | Description |\n|---|---|---|---|\n");
        new TreeMap<>(properties)
                .forEach((property, s) -> out.append("| `")
                        .append(property)
                        .append("` | ")
                        .append(type(map(s)))
                        .append(" | ")
                        .append(required.contains(property) ? "yes" : "no")
                        .append(" | ")
                        .append(cell(map(s).get("description")))
                        .append(" |\n"));
        out.append("\n");
    }

    /** "`application/json`: [`X`](#x)" for each media type. */
    private static String content(Map<String, Object> content) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(content)
                .forEach((mediaType, media) ->
                        parts.add("`" + mediaType + "`: " + type(map(map(media).get("schema")))));
        return String.join("; ", parts);
    }

    /** A schema in one phrase: a link to a named schema, "array of …", "map of …", or a type with its format. */
    static String type(Map<String, Object> schema) {
        if (schema.isEmpty()) {
            return "any";
        }
        Object ref = schema.get("$ref");
        if (ref != null) {
            String name = String.valueOf(ref).substring(String.valueOf(ref).lastIndexOf('/') + 1);
            return "[`" + name + "`](#" + anchor(name) + ")";
        }
        String type = String.valueOf(schema.getOrDefault("type", "object"));
        if (type.equals("array")) {
            return "array of " + type(map(schema.get("items")));
        }
        if (type.equals("object") && schema.get("additionalProperties") instanceof Map<?, ?> values) {
            return "map of string to " + type(map(values));
        }
        StringBuilder phrase = new StringBuilder(type);
        text(schema.get("format")).ifPresent(f -> phrase.append(" (").append(f).append(")"));
        List<Object> values = list(schema.get("enum"));
        if (!values.isEmpty()) {
            phrase.append(": ");
            for (int i = 0; i < values.size(); i++) {
                phrase.append(i == 0 ? "" : ", ")
                        .append('`')
                        .append(values.get(i))
                        .append('`');
            }
        }
        if (schema.containsKey("default")) {
            phrase.append(", default `").append(schema.get("default")).append('`');
        }
        return phrase.toString();
    }

    /** "flag-metrics-controller" → "Flag metrics"; "sdk-key-controller" → "SDK key". */
    static String title(String tag) {
        String words = tag.replaceFirst("-controller$", "").replace('-', ' ');
        words = (" " + words + " ").replace(" sdk ", " SDK ").strip();
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** GitHub's heading anchor: lower case, spaces to hyphens, other punctuation dropped. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static String cell(Object text) {
        return text(text).map(t -> t.replace("|", "\\|").replace("\n", " ")).orElse("");
    }

    private static java.util.Optional<String> text(Object value) {
        return value == null || String.valueOf(value).isBlank()
                ? java.util.Optional.empty()
                : java.util.Optional.of(String.valueOf(value).strip());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private record Operation(String method, String path, Map<String, Object> operation) {}
}
