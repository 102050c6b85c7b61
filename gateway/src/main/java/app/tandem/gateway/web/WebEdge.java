package app.tandem.gateway.web;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.FileServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import io.grpc.ServerServiceDefinition;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway's port for browsers: the same forwarded services as the gRPC port, with the same interceptors, spoken
 * as gRPC-Web (Armeria translates; the calls are the gateway's own), and the web app at {@code /}. The app's pages
 * may load only their own script and style, reach only this origin, be framed by nobody and leave no referrer.
 */
public final class WebEdge implements AutoCloseable {

    /** The app's files on the class path, as the web module builds them. */
    static final String APP_FILES = "tandem-web";

    static final Map<String, String> PAGE_HEADERS = Map.of(
            "content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            "referrer-policy", "no-referrer",
            "x-content-type-options", "nosniff",
            "x-frame-options", "DENY",
            "permissions-policy", "camera=(), microphone=(), geolocation=()");

    private final Server server;

    /**
     * @param services       the forwarded public APIs, as the gRPC port serves them
     * @param maxRequestSize the largest request message, as on the gRPC port
     * @param maxCallsPerConnection calls one HTTP/2 connection may have open at once, as on the gRPC port
     * @param routes         further paths (the devstack's sign-in)
     */
    public WebEdge(String address, int port, List<ServerServiceDefinition> services, int maxRequestSize, int maxCallsPerConnection,
                  List<WebRoute> routes) {
        GrpcServiceBuilder grpc = GrpcService.builder()
                .supportedSerializationFormats(GrpcSerializationFormats.PROTO, GrpcSerializationFormats.PROTO_WEB,
                        GrpcSerializationFormats.PROTO_WEB_TEXT)
                .maxRequestMessageLength(maxRequestSize);
        services.forEach(grpc::addService);
        ServerBuilder builder = Server.builder()
                .port(new ServerPort(new InetSocketAddress(address, port), SessionProtocol.HTTP))
                // a notification stream stays open for as long as the gateway lets it (tandem.gateway.stream-deadline)
                .requestTimeout(Duration.ZERO)
                .maxRequestLength(maxRequestSize + 1024L)
                .http2MaxStreamsPerConnection(maxCallsPerConnection)
                .service(grpc.build())
                // the app's own files carry hashes in their names; its page is asked for anew each time
                .serviceUnder("/assets/", files("assets", "public, max-age=31536000, immutable"))
                .service("/", files("", "no-store"))
                .disableServerHeader()
                .disableDateHeader();
        routes.forEach(route -> builder.service(route.path(), route.service()));
        server = builder.build();
        server.start().join();
    }

    private static HttpService files(String folder, String cache) {
        FileServiceBuilder files = FileService.builder(WebEdge.class.getClassLoader(),
                folder.isEmpty() ? APP_FILES : APP_FILES + "/" + folder).cacheControl(cache);
        PAGE_HEADERS.forEach(files::setHeader);
        return files.build();
    }

    /** The port bound (the one asked for, or a free one for 0). */
    public int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
