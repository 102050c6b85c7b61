package app.tandem.platform.axon;

import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/** The one way Tandem serialises events, snapshots and tokens: JSON through Jackson 3. */
public final class TandemSerializers {

    private TandemSerializers() {
    }

    /**
     * Tracking tokens nest other tokens (a replay token holds the token at reset) and are read back by
     * class name: allow Axon's types and ours, nothing else.
     */
    public static final Jackson3SerializerCustomizer TYPE_VALIDATION = builder -> builder.polymorphicTypeValidator(
            BasicPolymorphicTypeValidator.builder()
                    .allowIfSubType("org.axonframework.")
                    .allowIfSubType("app.tandem.")
                    .allowIfSubType("java.util.")
                    .build());

    /** For code that runs without Spring: benchmarks, tools, tests. */
    public static Serializer json() {
        return Jackson3Serializer.builder().jsonMapperBuilderCustomizer(TYPE_VALIDATION).build();
    }
}
