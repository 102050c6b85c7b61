package app.tandem.gateway;

import app.tandem.platform.TandemApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The only public entry point: authenticates every call and forwards it to the service that owns it. */
@SpringBootApplication
public class GatewayApplication {

    public static final String NAME = "gateway";

    public static void main(String[] args) {
        TandemApplication.runStateless(NAME, GatewayApplication.class, args);
    }
}
