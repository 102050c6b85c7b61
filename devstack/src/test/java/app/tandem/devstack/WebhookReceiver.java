package app.tandem.devstack;

import app.tandem.platform.crypto.Hmac;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver on this machine, as the devstack allows: it answers a request signed with the secret with 204 and
 * keeps its confirmation code or its update apart, and refuses an unsigned one with 401.
 */
final class WebhookReceiver implements AutoCloseable {

    static final String SECRET = "a-secret-of-thirty-two-characters";
    private static final Pattern CODE = Pattern.compile("\"code\":\"([A-Z0-9-]+)\"");

    /** Confirmation codes, in the order they came. */
    final BlockingQueue<String> codes = new LinkedBlockingQueue<>();
    /** The bodies of signed updates, in the order they came. */
    final List<String> updates = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String expected = "sha256=" + Hmac.sha256Hex(SECRET.getBytes(StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Tandem-Timestamp") + "." + body);
            boolean signed = expected.equals(exchange.getRequestHeaders().getFirst("X-Tandem-Signature"));
            Matcher code = CODE.matcher(body);
            if (signed && code.find()) {
                codes.add(code.group(1));
            } else if (signed) {
                updates.add(body);
            }
            exchange.sendResponseHeaders(signed ? 204 : 401, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
