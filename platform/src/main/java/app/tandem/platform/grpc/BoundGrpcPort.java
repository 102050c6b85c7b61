package app.tandem.platform.grpc;

import org.springframework.context.ApplicationListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/** The port the gRPC server actually bound, also when it was configured as 0 (any free port). */
public class BoundGrpcPort implements ApplicationListener<GrpcServerStartedEvent> {

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(GrpcServerStartedEvent event) {
        port = event.getPort();
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException("the gRPC server has not started");
        }
        return port;
    }
}
