package dev.dimmer.sdk.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The SDK's one JSON mapper: tolerant of fields a newer server adds; canonical snapshot strings. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // records only: helpers such as Serve.isSplit() are not properties
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            // a snapshot's repeated strings parsed once each (heap: docs/performance.md)
            .addModule(CanonicalStrings.module())
            .build();

    private Json() {}
}
