package dev.dimmer.server.ingest;

import dev.dimmer.server.ingest.Items.Exposure;
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
 *
 * <p>Each valid item goes straight into the batch's binary COPY rows. This is the server's hottest code (1 000 items
 * a request): an item's fields are read into reused buffers ({@link TextValue}) and written from there, and nothing
 * is allocated per valid event; a rejected item pays for its message.
 */
final class BatchReader {

    static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final int MAX_KEY = 256;
    static final int MAX_TEXT = 256;
    static final int MAX_BATCH_ID = 128;
    static final int MAX_PROPERTIES_BYTES = 4096;
    private static final int DEFAULT_ROWS_BYTES = 64 * 1024;
    private static final String NO_NUL = "must not contain the NUL character U+0000, which PostgreSQL cannot store";

    /**
     * Bits of {@link #failed}: the fields of the current item that already have a rejection, so that a field refused
     * for its JSON type is not refused again for its content.
     */
    private static final int FLAG = 1, KEY = 2, TREATMENT = 4, LABEL = 8, TIME = 16, TYPE = 32;

    /** The rows of one batch, ready to COPY, and what else the write needs. */
    record Batch(
            long environmentId,
            BatchKind kind,
            String batchId,
            Sdk sdk,
            CopyBinary rows,
            List<Exposure> exposures,
            List<Rejection> rejected,
            Instant earliest,
            Instant latest) {

        int accepted() {
            return rows.rows();
        }
    }

    private final JsonMapper json;
    private final BatchKind kind;
    private final long environmentId;
    private final int maxItems;
    private final Instant oldest;
    private final Instant newest;
    private final long oldestMicros;
    private final long newestMicros;

    private CopyBinary rows;
    private final List<Exposure> exposures = new ArrayList<>();
    private final List<Rejection> rejected = new ArrayList<>();
    private long earliest = Long.MAX_VALUE;
    private long latest = Long.MIN_VALUE;

    // The item being read; reused for every item.
    private int index;
    private int rejectedBefore;
    private int failed;
    private final TextValue flag = new TextValue();
    private final TextValue key = new TextValue();
    private final TextValue treatment = new TextValue();
    private final TextValue label = new TextValue();
    private final TextValue type = new TextValue();
    private final TextValue time = new TextValue();
    private final RepeatedStrings flags =
            new RepeatedStrings(s -> Violations.KEY.matcher(s).matches());
    private final RepeatedStrings texts = new RepeatedStrings(s -> true);

    BatchReader(
            JsonMapper json,
            BatchKind kind,
            long environmentId,
            int maxItems,
            Instant now,
            Duration maxAge,
            Duration maxFutureSkew) {
        this.json = json;
        this.kind = kind;
        this.environmentId = environmentId;
        this.maxItems = maxItems;
        this.oldest = now.minus(maxAge);
        this.newest = now.plus(maxFutureSkew);
        this.oldestMicros = Instants.micros(oldest);
        this.newestMicros = Instants.micros(newest);
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

    /**
     * @param sizeHint the body's length when known, else 0: the rows are sized from it, as a JSON item is a little
     *     longer than its binary row
     */
    Batch read(InputStream in, long sizeHint) {
        rows = new CopyBinary((int) Math.min(sizeHint > 0 ? sizeHint : DEFAULT_ROWS_BYTES, Integer.MAX_VALUE - 64));
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
                    index = items++;
                    rejectedBefore = rejected.size();
                    failed = 0;
                    if (token != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        reject(null, "must be an object");
                    } else if (kind == BatchKind.IMPRESSIONS) {
                        readImpression(p);
                    } else {
                        readEvent(p);
                    }
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
        if (batchId.indexOf('\0') >= 0) {
            throw malformed("/batchId", NO_NUL);
        }
        if (!sawItems) {
            throw malformed("/" + kind.wireName, "is required (an array)");
        }
        return new Batch(
                environmentId,
                kind,
                batchId,
                sdk,
                rows.finish(),
                exposures,
                rejected,
                earliest > latest ? null : Instants.ofMicros(earliest),
                earliest > latest ? null : Instants.ofMicros(latest));
    }

    private Sdk readSdk(JsonParser p) {
        String name = null;
        String version = null;
        String instanceId = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (!field.equals("name") && !field.equals("version") && !field.equals("instanceId")) {
                p.skipChildren(); // unknown members are ignored
                continue;
            }
            if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                throw malformed("/sdk/" + field, "must be a string");
            }
            String text = value == JsonToken.VALUE_NULL ? null : p.getString();
            if (text != null && text.length() > MAX_TEXT) {
                throw malformed("/sdk/" + field, "must be at most " + MAX_TEXT + " characters");
            }
            if (text != null && text.indexOf('\0') >= 0) {
                throw malformed("/sdk/" + field, NO_NUL);
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

    private void readImpression(JsonParser p) {
        flag.clear();
        key.clear();
        treatment.clear();
        label.clear();
        time.clear();
        long changeNumber = -1;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "flag" -> text(p, flag, "flag");
                case "key" -> text(p, key, "key");
                case "treatment" -> text(p, treatment, "treatment");
                case "label" -> text(p, label, "label");
                case "time" -> text(p, time, "time");
                case "changeNumber" -> {
                    JsonToken t = p.currentToken();
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        changeNumber = p.getLongValue();
                        if (changeNumber < 0) {
                            reject("changeNumber", "must be >= 0");
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        reject("changeNumber", "must be an integer");
                    }
                }
                default -> p.skipChildren();
            }
        }
        String flagKey = null;
        if ((failed & FLAG) == 0) {
            if (!flag.isPresent() || flag.isEmpty()) {
                reject("flag", "is required");
            } else if ((flagKey = flags.validated(flag)) == null) {
                reject("flag", "must match " + Violations.KEY.pattern());
            }
        }
        checkKey();
        String treatmentText = requireText(treatment, "treatment", TREATMENT);
        String labelText = requireText(label, "label", LABEL);
        long at = checkTime();
        if (rejected.size() > rejectedBefore) {
            return;
        }
        rows.row(7)
                .int64(environmentId)
                .text(flagKey)
                .text(key)
                .text(treatmentText)
                .text(labelText);
        if (changeNumber >= 0) {
            rows.int64(changeNumber);
        } else {
            rows.nullField();
        }
        rows.timestamp(at);
        exposures.add(new Exposure(flagKey, key.toString(), treatmentText, labelText, Instants.ofMicros(at)));
        accepted(at);
    }

    private void readEvent(JsonParser p) {
        key.clear();
        type.clear();
        time.clear();
        boolean hasValue = false;
        double value = 0;
        String properties = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "key" -> text(p, key, "key");
                case "type" -> text(p, type, "type");
                case "time" -> text(p, time, "time");
                case "value" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        value = p.getDoubleValue();
                        hasValue = Double.isFinite(value);
                        if (!hasValue) {
                            reject("value", "must be a finite number");
                        }
                    } else if (t == JsonToken.VALUE_NULL) {
                        hasValue = false;
                    } else {
                        p.skipChildren();
                        reject("value", "must be a number or null");
                    }
                }
                case "properties" -> {
                    if (t == JsonToken.START_OBJECT) {
                        properties = readProperties(p);
                    } else if (t == JsonToken.VALUE_NULL) {
                        properties = null;
                    } else {
                        p.skipChildren();
                        reject("properties", "must be an object or null");
                    }
                }
                default -> p.skipChildren();
            }
        }
        checkKey();
        if ((failed & TYPE) == 0) {
            if (!type.isPresent() || type.isEmpty()) {
                reject("type", "is required");
            } else if (!isEventType(type)) {
                reject("type", "must match " + EVENT_TYPE.pattern());
            }
        }
        long at = checkTime();
        if (rejected.size() > rejectedBefore) {
            return;
        }
        rows.row(6).int64(environmentId).text(key).text(type);
        if (hasValue) {
            rows.float8(value);
        } else {
            rows.nullField();
        }
        if (properties != null) {
            rows.jsonb(properties);
        } else {
            rows.nullField();
        }
        rows.timestamp(at);
        accepted(at);
    }

    /** The object serialized, null when empty or refused (a rejection is then recorded). */
    private String readProperties(JsonParser p) {
        JsonNode tree = json.readerFor(JsonNode.class)
                .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readValue(p);
        String serialized = json.writeValueAsString(tree);
        if (serialized.length() > MAX_PROPERTIES_BYTES
                || serialized.getBytes(StandardCharsets.UTF_8).length > MAX_PROPERTIES_BYTES) {
            reject("properties", "must be at most " + MAX_PROPERTIES_BYTES + " bytes serialized");
            return null;
        }
        if (containsNul(tree)) {
            reject("properties", NO_NUL);
            return null;
        }
        return tree.isEmpty() ? null : serialized;
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isString()) {
            return node.asString().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (var member : node.properties()) {
                if (member.getKey().indexOf('\0') >= 0 || containsNul(member.getValue())) {
                    return true;
                }
            }
        } else {
            for (JsonNode element : node.values()) { // an array's elements; none for other scalars
                if (containsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,127}} ({@link #EVENT_TYPE}), without a Matcher per event. */
    static boolean isEventType(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > 128 || !isAsciiLetterOrDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private void accepted(long at) {
        earliest = Math.min(earliest, at);
        latest = Math.max(latest, at);
    }

    /** Reads a string field into {@code into}; anything but a string or null is rejected. */
    private void text(JsonParser p, TextValue into, String field) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            into.set(p);
        } else {
            into.clear();
            if (t != JsonToken.VALUE_NULL) {
                p.skipChildren();
                reject(field, "must be a string");
            }
        }
    }

    private void checkKey() {
        if ((failed & KEY) != 0) {
            return;
        }
        if (!key.isPresent() || key.isEmpty()) {
            reject("key", "is required");
        } else if (key.length() > MAX_KEY) {
            reject("key", "must be at most " + MAX_KEY + " characters");
        } else if (key.containsNul()) {
            reject("key", NO_NUL);
        }
    }

    /** A required short text such as a treatment or a label, as a String shared by the items that repeat it. */
    private String requireText(TextValue value, String field, int bit) {
        if ((failed & bit) != 0) {
            return null;
        }
        if (!value.isPresent() || value.isEmpty()) {
            reject(field, "is required");
            return null;
        }
        if (value.length() > MAX_TEXT) {
            reject(field, "must be at most " + MAX_TEXT + " characters");
            return null;
        }
        if (value.containsNul()) {
            reject(field, NO_NUL);
            return null;
        }
        return texts.validated(value);
    }

    /** The item's time in epoch microseconds; when it is refused, a rejection is recorded and any value returned. */
    private long checkTime() {
        if ((failed & TIME) != 0) {
            return 0;
        }
        if (!time.isPresent()) {
            reject("time", "is required (an ISO-8601 instant)");
            return 0;
        }
        long at;
        try {
            at = Instants.parseMicros(time);
        } catch (DateTimeParseException | ArithmeticException e) {
            reject("time", "must be an ISO-8601 instant such as 2026-11-26T10:15:30.123Z");
            return 0;
        }
        if (at < oldestMicros) {
            reject("time", "is older than the accepted " + oldest);
        } else if (at > newestMicros) {
            reject("time", "is in the future (later than " + newest + ")");
        }
        return at;
    }

    /** Rejects the current item for {@code field} (null: the item itself); the pointer is only built here. */
    private void reject(String field, String detail) {
        failed |= bitOf(field);
        String pointer = "/" + kind.wireName + "/" + index;
        rejected.add(new Rejection(index, field == null ? pointer : pointer + "/" + field, detail));
    }

    private static int bitOf(String field) {
        if (field == null) {
            return 0;
        }
        return switch (field) {
            case "flag" -> FLAG;
            case "key" -> KEY;
            case "treatment" -> TREATMENT;
            case "label" -> LABEL;
            case "time" -> TIME;
            case "type" -> TYPE;
            default -> 0;
        };
    }
}
