package app.tandem.devstack;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The end-to-end scenarios on the embedded stack: a KRaft broker and the Mongo-wire server, in this JVM. */
@ExtendWith(EmbeddedTandem.class)
class EmbeddedEndToEndTest extends EndToEndScenarios {

    @BeforeAll
    static void start() {
        use(EmbeddedTandem.get());
    }
}
