package app.tandem.notifications.channels;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.hc.core5.ssl.SSLContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A webhook over TLS connects to the checked address, yet checks the certificate against the URL's host: a
 * receiver whose certificate names another host is refused, although both names lead to the same address.
 */
class WebhookTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static HttpsServer receiver;
    private static SSLContext trusting;
    private static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start(@TempDir Path folder) throws Exception {
        // a certificate for hooks.example only, made with the JDK's keytool
        Path store = folder.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=hooks.example",
                "-ext", "SAN=dns:hooks.example", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serving = SSLContext.getInstance("TLS");
        serving.init(keyManagers.getKeyManagers(), null, null);
        trusting = SSLContexts.custom().loadTrustMaterial(keys, null).build();

        receiver = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setHttpsConfigurator(new HttpsConfigurator(serving));
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    @Test
    void theCertificateMustNameTheUrlsHostNotTheAddressConnectedTo() throws Exception {
        WebhookAddresses.Resolver dns = host -> switch (host) {
            case "hooks.example", "elsewhere.example", "127.0.0.1" -> new InetAddress[]{InetAddress.getByName("127.0.0.1")};
            default -> throw new UnknownHostException("not in this test's DNS");
        };
        int port = receiver.getAddress().getPort();
        WebhookAddresses onThisMachine = new WebhookAddresses(true, dns, Duration.ofSeconds(1));
        try (WebhookChannel channel = new WebhookChannel(onThisMachine, Duration.ofSeconds(2), Duration.ofSeconds(5), 2, 4, trusting)) {
            channel.send("https://hooks.example:" + port + "/hook", "a-secret-of-thirty-two-characters", "{}", "d-1", 1);
            assertThat(received).containsExactly("hooks.example:" + port);
            assertThatThrownBy(() -> channel.send("https://elsewhere.example:" + port + "/hook", "a-secret-of-thirty-two-characters",
                    "{}", "d-2", 1)).isInstanceOf(SSLException.class);
            assertThatThrownBy(() -> channel.send("https://127.0.0.1:" + port + "/hook", "a-secret-of-thirty-two-characters",
                    "{}", "d-3", 1)).as("nor the address itself").isInstanceOf(SSLException.class);
            // as the outbox sends: to the address it looked up and counted, checked against the URL's host all the same
            InetAddress checked = onThisMachine.checkedAddressesOf("hooks.example")[0];
            channel.send("https://hooks.example:" + port + "/hook", checked, "a-secret-of-thirty-two-characters", "{}", "d-4", 1);
            assertThatThrownBy(() -> channel.send("https://elsewhere.example:" + port + "/hook", checked, "a-secret-of-thirty-two-characters",
                    "{}", "d-5", 1)).isInstanceOf(SSLException.class);
        }
        assertThat(received).hasSize(2);
    }
}
