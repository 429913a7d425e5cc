package dev.dimmer.sdk.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OpenFeature evaluation context seen as Dimmer attributes, without copying it: a read-only map whose {@link #get}
 * asks the context for that one attribute and converts only its value. The engine asks for the few attributes its
 * rules test, so the provider no longer builds the whole context as a map on every evaluation
 * ({@code EvaluationContext.asObjectMap()} of the OpenFeature client's layered context makes a map per layer and
 * merges them: about 1.2 KB a call measured, docs/performance.md "SDK hot path").
 *
 * <p>Conversion: strings, booleans, numbers and instants as they are; a list becomes a list and a structure a map,
 * converted the same way; a null value (at the top) is absent. The targeting key is not an attribute: the engine gets it as the
 * key. Iterating the map (the engine never does) walks the context's key set.
 */
final class ContextAttributes extends AbstractMap<String, Object> {

    private final EvaluationContext context;

    ContextAttributes(EvaluationContext context) {
        this.context = context;
    }

    @Override
    public Object get(Object name) {
        if (!(name instanceof String attribute) || EvaluationContext.TARGETING_KEY.equals(attribute)) {
            return null;
        }
        return toObject(context.getValue(attribute));
    }

    @Override
    public boolean containsKey(Object name) {
        return get(name) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                List<Entry<String, Object>> entries = new ArrayList<>();
                for (String attribute : context.keySet()) {
                    Object value = get(attribute);
                    if (value != null) {
                        entries.add(new SimpleImmutableEntry<>(attribute, value));
                    }
                }
                return entries.iterator();
            }

            @Override
            public int size() {
                int n = 0;
                for (Iterator<?> i = iterator(); i.hasNext(); i.next()) {
                    n++;
                }
                return n;
            }
        };
    }

    static Object toObject(Value value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isList()) {
            List<Value> values = value.asList();
            List<Object> list = new ArrayList<>(values.size());
            for (Value v : values) {
                list.add(toObject(v));
            }
            return list;
        }
        if (value.isStructure()) {
            Structure structure = value.asStructure();
            Map<String, Object> map = new HashMap<>();
            for (String field : structure.keySet()) {
                map.put(field, toObject(structure.getValue(field)));
            }
            return map;
        }
        return value.asObject(); // String, Boolean, Number, Instant
    }
}
