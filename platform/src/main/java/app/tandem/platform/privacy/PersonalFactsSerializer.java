package app.tandem.platform.privacy;

import app.tandem.platform.crypto.PersonalDataCipher;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.UnknownSerializedType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event serializer that seals every {@link PersonalFacts} component under its owner's key on the way into the
 * event store and opens it on the way out. Everything else about an event (ids, times, its type) stays readable, so
 * processors, exports and operators work on it as before; an erased owner's facts read as null.
 */
public final class PersonalFactsSerializer implements Serializer {

    private record Sealed(String component, String owner) {
    }

    private final Serializer delegate;
    private final ObjectMapper mapper;
    private final PersonalDataCipher cipher;
    private final Map<Class<?>, List<Sealed>> sealedComponents = new ConcurrentHashMap<>();

    public PersonalFactsSerializer(Serializer delegate, ObjectMapper mapper, PersonalDataCipher cipher) {
        this.delegate = delegate;
        this.mapper = mapper;
        this.cipher = cipher;
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        List<Sealed> sealed = object == null ? List.of() : sealedOf(object.getClass());
        if (sealed.isEmpty()) {
            return delegate.serialize(object, expectedRepresentation);
        }
        ObjectNode tree = mapper.valueToTree(object);
        for (Sealed component : sealed) {
            JsonNode value = tree.get(component.component());
            String owner = tree.path(component.owner()).asString(null);
            if (value != null && !value.isNull() && owner != null) {
                tree.put(component.component(), cipher.encrypt(owner, mapper.writeValueAsString(value)));
            }
        }
        SerializedObject<byte[]> bytes = new SimpleSerializedObject<>(mapper.writeValueAsBytes(tree), byte[].class,
                delegate.typeForClass(object.getClass()));
        return getConverter().convert(bytes, expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        Class<?> type = classForType(serializedObject.getType());
        List<Sealed> sealed = type == UnknownSerializedType.class ? List.of() : sealedOf(type);
        if (sealed.isEmpty()) {
            return delegate.deserialize(serializedObject);
        }
        ObjectNode tree = (ObjectNode) getConverter().convert(serializedObject, JsonNode.class).getData().deepCopy();
        for (Sealed component : sealed) {
            JsonNode value = tree.get(component.component());
            String owner = tree.path(component.owner()).asString(null);
            // a component stored before it was sealed is read as it is
            if (value != null && value.isString() && PersonalDataCipher.isSealed(value.asString()) && owner != null) {
                Optional<String> opened = cipher.decrypt(owner, value.asString());
                tree.set(component.component(), opened.map(mapper::readTree).orElse(null));
            }
        }
        return delegate.deserialize(new SimpleSerializedObject<>(tree, JsonNode.class, serializedObject.getType()));
    }

    private List<Sealed> sealedOf(Class<?> type) {
        return sealedComponents.computeIfAbsent(type, PersonalFactsSerializer::findSealed);
    }

    private static List<Sealed> findSealed(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            return List.of();
        }
        return Arrays.stream(components)
                .filter(c -> c.isAnnotationPresent(PersonalFacts.class))
                .map(c -> new Sealed(c.getName(), c.getAnnotation(PersonalFacts.class).owner()))
                .toList();
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    public Class classForType(SerializedType type) {
        return delegate.classForType(type);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return delegate.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }
}
