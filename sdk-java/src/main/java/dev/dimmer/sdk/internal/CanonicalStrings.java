package dev.dimmer.sdk.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * While a {@link Snapshot} is parsed, equal JSON strings become one {@code String}.
 *
 * <p>A snapshot repeats the same short values thousands of times ({@code "on"}, {@code "IN"},
 * attribute names, rule ids, user keys listed in several flags); the parser would make a new
 * {@code String} for each, and the parsed snapshot of 10 000 flags would weigh twice what it must
 * while it is compiled next to the engine it replaces. The map lives in the parse call's own
 * attributes ({@link DeserializationContext#setAttribute}), so it is dropped with the call and
 * never shared between threads; other parses (impressions, configs converted for a caller) do not
 * create one and read their strings as Jackson does. {@link String#intern} is not used: it would
 * keep every key of every snapshot for the life of the JVM.
 */
final class CanonicalStrings {

    private static final Object SCOPE = CanonicalStrings.class;

    private CanonicalStrings() {}

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("dimmer-canonical-strings");
        module.addDeserializer(String.class, new Strings());
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
                return description.getBeanClass() == Snapshot.class ? new Scope(deserializer) : deserializer;
            }
        });
        return module;
    }

    /** Jackson's own string deserializer, then the scope's canonical instance when in a scope. */
    private static final class Strings extends StringDeserializer {
        private static final long serialVersionUID = 1L;

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = p.hasToken(JsonToken.VALUE_STRING) ? p.getText() : super.deserialize(p, ctxt);
            if (value == null) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, String> seen = (Map<String, String>) ctxt.getAttribute(SCOPE);
            if (seen == null) {
                return value;
            }
            String known = seen.putIfAbsent(value, value);
            return known == null ? value : known;
        }
    }

    /** Opens a canonical scope for the duration of one snapshot's parse. */
    private static final class Scope extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        Scope(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Scope(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (ctxt.getAttribute(SCOPE) != null) {
                return super.deserialize(p, ctxt);
            }
            ctxt.setAttribute(SCOPE, new HashMap<String, String>());
            try {
                return super.deserialize(p, ctxt);
            } finally {
                ctxt.setAttribute(SCOPE, null);
            }
        }
    }
}
