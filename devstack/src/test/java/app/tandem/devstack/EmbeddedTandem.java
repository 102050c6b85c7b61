package app.tandem.devstack;

import app.tandem.testkit.EmbeddedStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Tandem on the embedded stack for every test class of this module that asks for it: started by the first,
 * closed when the whole run ends. Each class works with people and couples of its own.
 */
final class EmbeddedTandem implements BeforeAllCallback {

    private static TandemUnderTest tandem;

    @Override
    public void beforeAll(ExtensionContext context) {
        tandem = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(EmbeddedTandem.class,
                key -> new TandemUnderTest(EmbeddedStack.shared().mongoUri(), EmbeddedStack.shared().kafkaBootstrapServers()),
                TandemUnderTest.class);
    }

    static TandemUnderTest get() {
        if (tandem == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(EmbeddedTandem.class)");
        }
        return tandem;
    }
}
