package app.tandem.gateway.web;

import com.linecorp.armeria.server.HttpService;

/**
 * A path the web port serves besides the app and gRPC-Web, contributed by whoever starts the gateway: the devstack's
 * sign-in, which a deployment never has. The gateway itself defines none.
 */
public interface WebRoute {

    /** An exact path, such as {@code /dev/sign-in}. */
    String path();

    HttpService service();
}
