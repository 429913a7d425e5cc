package dev.dimmer.server.ingest;

import dev.dimmer.server.ingest.Items.Event;
import dev.dimmer.server.ingest.Items.Impression;
import dev.dimmer.server.ingest.Items.Rejection;
import dev.dimmer.server.ingest.Items.Sdk;
import dev.dimmer.server.system.ApiException;
import dev.dimmer.server.system.InvalidField;
import dev.dimmer.server.system.Violations;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one batch from a stream, item by item, without holding the body: the stream is already limited in bytes
 * and the reader stops at the item after {@code maxItems}. Structural problems (not JSON, no {@code batchId}, the
 * item array missing or not an array) fail the whole batch with a 400; problems of one item reject that item only,
 * by index and JSON pointer, so one bad clock or key does not cost the other 999 items.
 */
final class BatchReader {

    static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final int MAX_KEY = 256;
    static final int MAX_TEXT = 256;
    static final int MAX_BATCH_ID = 128;
    static final int MAX_PROPERTIES_BYTES = 4096;

    /** A parsed batch: the valid items of its kind and the rejected ones. */
    record Batch(
            String batchId,
            Sdk sdk,
            List<Impression> impressions,
            List<Event> events,
            List<Rejection> rejected,
            int items) {

        int accepted() {
            return impressions.size() + events.size();
        }
    }

    private final JsonMapper json;
    private final BatchKind kind;
    private final int maxItems;
    private final Instant oldest;
    private final Instant newest;
    private final java.util.Set<String> knownTypes = new java.util.HashSet<>();

    BatchReader(JsonMapper json, BatchKind kind, int maxItems, Instant now, Duration maxAge, Duration maxFutureSkew) {
        this.json = json;
        this.kind = kind;
        this.maxItems = maxItems;
        this.oldest = now.minus(maxAge);
        this.newest = now.plus(maxFutureSkew);
    }

    static ApiException tooLarge(String detail) {
        return new ApiException(HttpStatus.valueOf(413), "Payload too large", detail);
    }

    private static ApiException malformed(String pointer, String detail) {
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                "Invalid batch",
                (pointer.isEmpty() ? "the body" : pointer) + " " + detail,
                List.of(new InvalidField(pointer, detail)));
    }

    Batch read(InputStream in) {
        try (JsonParser p = json.createParser(in)) {
            return read(p);
        } catch (JacksonException e) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "Malformed request body",
                    "the request body is not valid JSON: " + e.getOriginalMessage(),
                    List.of(new InvalidField("", "is not valid JSON")));
        }
    }

    private Batch read(JsonParser p) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw malformed("", "must be a JSON object");
        }
        String batchId = null;
        Sdk sdk = null;
        boolean sawItems = false;
        List<Impression> impressions = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        int items = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("batchId")) {
                if (value != JsonToken.VALUE_STRING) {
                    throw malformed("/batchId", "must be a string");
                }
                batchId = p.getString();
            } else if (name.equals("sdk")) {
                if (value == JsonToken.START_OBJECT) {
                    sdk = readSdk(p);
                } else if (value != JsonToken.VALUE_NULL) {
                    throw malformed("/sdk", "must be an object {name, version, instanceId}");
                }
            } else if (name.equals(kind.wireName)) {
                if (value != JsonToken.START_ARRAY) {
                    throw malformed("/" + kind.wireName, "must be an array");
                }
                sawItems = true;
                JsonToken token;
                while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (items >= maxItems) {
                        throw tooLarge("a batch holds at most " + maxItems + " " + kind.wireName);
                    }
                    String pointer = "/" + kind.wireName + "/" + items;
                    if (token != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        rejected.add(new Rejection(items, pointer, "must be an object"));
                    } else if (kind == BatchKind.IMPRESSIONS) {
                        Impression impression = readImpression(p, items, pointer, rejected);
                        if (impression != null) {
                            impressions.add(impression);
                        }
                    } else {
                        Event event = readEvent(p, items, pointer, rejected);
                        if (event != null) {
                            events.add(event);
                        }
                    }
                    items++;
                }
            } else {
                p.skipChildren(); // unknown members are ignored, for newer SDKs
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw malformed("", "must be exactly one JSON object");
        }
        if (batchId == null || batchId.isBlank()) {
            throw malformed("/batchId", "is required (a unique id per batch, reused when the batch is retried)");
        }
        if (batchId.length() > MAX_BATCH_ID) {
            throw malformed("/batchId", "must be at most " + MAX_BATCH_ID + " characters");
        }
        if (!sawItems) {
            throw malformed("/" + kind.wireName, "is required (an array)");
        }
        return new Batch(batchId, sdk, impressions, events, rejected, items);
    }

    private Sdk readSdk(JsonParser p) {
        String name = null;
        String version = null;
        String instanceId = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                throw malformed("/sdk/" + field, "must be a string");
            }
            String text = value == JsonToken.VALUE_NULL ? null : p.getString();
            if (text != null && text.length() > MAX_TEXT) {
                throw malformed("/sdk/" + field, "must be at most " + MAX_TEXT + " characters");
            }
            switch (field) {
                case "name" -> name = text;
                case "version" -> version = text;
                case "instanceId" -> instanceId = text;
                default -> {}
            }
        }
        if (instanceId == null || instanceId.isBlank()) {
            return null; // without an instance id there is nothing to track
        }
        return new Sdk(name == null ? "" : name, version == null ? "" : version, instanceId);
    }

    private Impression readImpression(JsonParser p, int index, String pointer, List<Rejection> rejected) {
        int before = rejected.size();
        String flag = null;
        String key = null;
        String treatment = null;
        String label = null;
        Long changeNumber = null;
        String time = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "flag" -> flag = text(p, index, pointer, field, rejected);
                case "key" -> key = text(p, index, pointer, field, rejected);
                case "treatment" -> treatment = text(p, index, pointer, field, rejected);
                case "label" -> label = text(p, index, pointer, field, rejected);
                case "time" -> time = text(p, index, pointer, field, rejected);
                case "changeNumber" -> {
                    JsonToken t = p.currentToken();
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        changeNumber = p.getLongValue();
                        if (changeNumber < 0) {
                            rejected.add(new Rejection(index, pointer + "/changeNumber", "must be >= 0"));
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        rejected.add(new Rejection(index, pointer + "/changeNumber", "must be an integer"));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!hasError(rejected, before, pointer + "/flag")) {
            if (flag == null || flag.isEmpty()) {
                rejected.add(new Rejection(index, pointer + "/flag", "is required"));
            } else if (!Violations.KEY.matcher(flag).matches()) {
                rejected.add(new Rejection(index, pointer + "/flag", "must match " + Violations.KEY.pattern()));
            }
        }
        checkKey(key, index, pointer, rejected, before);
        requireText(treatment, index, pointer, "treatment", rejected, before);
        requireText(label, index, pointer, "label", rejected, before);
        Instant at = checkTime(time, index, pointer, rejected, before);
        if (rejected.size() > before) {
            return null;
        }
        return new Impression(flag, key, treatment, label, changeNumber, at);
    }

    private Event readEvent(JsonParser p, int index, String pointer, List<Rejection> rejected) {
        int before = rejected.size();
        String key = null;
        String type = null;
        Double value = null;
        String properties = null;
        String time = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "key" -> key = text(p, index, pointer, field, rejected);
                case "type" -> type = text(p, index, pointer, field, rejected);
                case "time" -> time = text(p, index, pointer, field, rejected);
                case "value" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        double v = p.getDoubleValue();
                        if (Double.isFinite(v)) {
                            value = v;
                        } else {
                            rejected.add(new Rejection(index, pointer + "/value", "must be a finite number"));
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        rejected.add(new Rejection(index, pointer + "/value", "must be a number or null"));
                    }
                }
                case "properties" -> {
                    if (t == JsonToken.START_OBJECT) {
                        JsonNode tree = json.readerFor(JsonNode.class)
                                .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                                .readValue(p);
                        String serialized = json.writeValueAsString(tree);
                        if (serialized.length() > MAX_PROPERTIES_BYTES
                                || serialized.getBytes(StandardCharsets.UTF_8).length > MAX_PROPERTIES_BYTES) {
                            rejected.add(new Rejection(
                                    index,
                                    pointer + "/properties",
                                    "must be at most " + MAX_PROPERTIES_BYTES + " bytes serialized"));
                        } else if (!tree.isEmpty()) {
                            properties = serialized;
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        rejected.add(new Rejection(index, pointer + "/properties", "must be an object or null"));
                    }
                }
                default -> p.skipChildren();
            }
        }
        checkKey(key, index, pointer, rejected, before);
        if (!hasError(rejected, before, pointer + "/type")) {
            if (type == null || type.isEmpty()) {
                rejected.add(new Rejection(index, pointer + "/type", "is required"));
            } else if (!knownTypes.contains(type) && !EVENT_TYPE.matcher(type).matches()) {
                rejected.add(new Rejection(index, pointer + "/type", "must match " + EVENT_TYPE.pattern()));
            }
        }
        Instant at = checkTime(time, index, pointer, rejected, before);
        if (rejected.size() > before) {
            return null;
        }
        if (knownTypes.size() < 64) {
            knownTypes.add(type); // a batch repeats a handful of types: match each once
        }
        return new Event(key, type, value, properties, at);
    }

    private static String text(JsonParser p, int index, String pointer, String field, List<Rejection> rejected) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t != JsonToken.VALUE_NULL) {
            p.skipChildren();
            rejected.add(new Rejection(index, pointer + "/" + field, "must be a string"));
        }
        return null;
    }

    private static boolean hasError(List<Rejection> rejected, int from, String pointer) {
        for (int i = from; i < rejected.size(); i++) {
            if (rejected.get(i).pointer().equals(pointer)) {
                return true;
            }
        }
        return false;
    }

    private static void checkKey(String key, int index, String pointer, List<Rejection> rejected, int before) {
        if (hasError(rejected, before, pointer + "/key")) {
            return;
        }
        if (key == null || key.isEmpty()) {
            rejected.add(new Rejection(index, pointer + "/key", "is required"));
        } else if (key.length() > MAX_KEY) {
            rejected.add(new Rejection(index, pointer + "/key", "must be at most " + MAX_KEY + " characters"));
        }
    }

    private static void requireText(
            String value, int index, String pointer, String field, List<Rejection> rejected, int before) {
        if (hasError(rejected, before, pointer + "/" + field)) {
            return;
        }
        if (value == null || value.isEmpty()) {
            rejected.add(new Rejection(index, pointer + "/" + field, "is required"));
        } else if (value.length() > MAX_TEXT) {
            rejected.add(new Rejection(index, pointer + "/" + field, "must be at most " + MAX_TEXT + " characters"));
        }
    }

    private Instant checkTime(String time, int index, String pointer, List<Rejection> rejected, int before) {
        if (hasError(rejected, before, pointer + "/time")) {
            return null;
        }
        if (time == null) {
            rejected.add(new Rejection(index, pointer + "/time", "is required (an ISO-8601 instant)"));
            return null;
        }
        Instant at;
        try {
            at = Instants.parse(time);
        } catch (DateTimeParseException e) {
            rejected.add(new Rejection(
                    index, pointer + "/time", "must be an ISO-8601 instant such as 2026-11-26T10:15:30.123Z"));
            return null;
        }
        if (at.isBefore(oldest)) {
            rejected.add(new Rejection(index, pointer + "/time", "is older than the accepted " + oldest));
            return null;
        }
        if (at.isAfter(newest)) {
            rejected.add(new Rejection(index, pointer + "/time", "is in the future (later than " + newest + ")"));
            return null;
        }
        return at;
    }
}
