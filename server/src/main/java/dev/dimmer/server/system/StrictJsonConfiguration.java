package dev.dimmer.server.system;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read strictly, for every endpoint at once, so a wrong value is a 400 naming its
 * field (ProblemHandler turns the binding error into the pointer) instead of a silent guess or a 500:
 * <ul>
 *   <li>no coercion between JSON types: {@code "key": 123} is not the string "123", {@code 1.9} is
 *       not the integer 1, {@code "true"} is not a boolean;
 *   <li>no {@code null} inside a list ({@code "rules": [null]}): every list item is something;
 *   <li>no NUL (U+0000) in any string: PostgreSQL cannot store it, and it would otherwise surface as
 *       a misleading database error.
 * </ul>
 * The same mapper reads what the server itself stored, which was written with these types.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> {
            builder.withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
            builder.withCoercionConfig(
                    LogicalType.Integer,
                    c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail));
            builder.withCoercionConfig(
                    LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail));
            builder.withCoercionConfig(
                    LogicalType.Boolean,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail));
            for (Class<?> type : List.of(List.class, Set.class, Collection.class)) {
                builder.withConfigOverride(type, o -> o.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL)));
            }
            builder.addModule(
                    new SimpleModule("dimmer-strict-strings").addDeserializer(String.class, new NoNulStrings()));
        };
    }

    /** Jackson's own string reading, refusing text with a NUL character. */
    static final class NoNulStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                return (String)
                        ctxt.handleWeirdStringValue(String.class, value, "must not contain the NUL character (U+0000)");
            }
            return value;
        }
    }
}
