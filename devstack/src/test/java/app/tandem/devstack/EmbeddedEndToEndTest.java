package app.tandem.devstack;

import app.tandem.platform.embedded.EmbeddedStack;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end scenarios on the embedded stack: a KRaft broker and the Mongo-wire server, in this JVM. */
class EmbeddedEndToEndTest extends EndToEndScenarios {

    @BeforeAll
    static void start() {
        startTandem(EmbeddedStack.shared().mongoUri(), EmbeddedStack.shared().kafkaBootstrapServers());
    }
}
