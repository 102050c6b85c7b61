package app.tandem.notifications.channels;

import app.tandem.platform.crypto.Hmac;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Webhooks: a JSON POST signed with HMAC-SHA256 over "timestamp.body" with the person's secret, so the receiver
 * can check it came from Tandem and is fresh. {@code X-Tandem-Delivery} stays the same across retries.
 * <p>
 * The client resolves names only through {@link WebhookAddresses#checkedAddressesOf}, so it connects to an address
 * that was checked and to no other; TLS still sends the URL's host name (SNI) and verifies the certificate against
 * it. A send may name the checked address to connect to ({@link #send(String, InetAddress, String, String, String, long)}),
 * so it goes where its sender counted it. No proxy (which would resolve the name again), no redirect, no automatic
 * retry (the outbox retries). An answer's status line and headers are read with limits: a receiver that sends an
 * endless header line or endless headers is cut off at {@link #MAX_LINE_LENGTH} or {@link #MAX_HEADERS}.
 */
class WebhookChannel implements AutoCloseable {

    static final String SIGNATURE = "X-Tandem-Signature";
    static final String TIMESTAMP = "X-Tandem-Timestamp";
    static final String DELIVERY = "X-Tandem-Delivery";
    static final int MAX_LINE_LENGTH = 8192;
    static final int MAX_HEADERS = 64;

    /** The receiver answered, but not 2xx. Carries only the status, never what the receiver said. */
    static final class Answered extends IOException {
        final int status;

        Answered(int status) {
            super("webhook answered " + status);
            this.status = status;
        }
    }

    private final CloseableHttpClient http;
    private final Duration deadline;
    // a receiver that drips its answer a byte at a time never trips a read timeout: each send has a hard end
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param perHost  connections to one host at once, as many as webhook sends to it may run at once
     * @param total    connections at once to all hosts
     */
    WebhookChannel(WebhookAddresses addresses, Duration connectTimeout, Duration responseTimeout, int perHost, int total) {
        this(addresses, connectTimeout, responseTimeout, perHost, total, SSLContexts.createDefault());
    }

    /** @param tls whom certificates are trusted from: the JVM's trust store outside tests */
    WebhookChannel(WebhookAddresses addresses, Duration connectTimeout, Duration responseTimeout, int perHost, int total, SSLContext tls) {
        DnsResolver checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return addresses.checkedAddressesOf(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host; // never asked for another name: certificates are checked against the URL's host
            }
        };
        this.deadline = connectTimeout.plus(responseTimeout);
        Timeout connect = Timeout.ofMilliseconds(connectTimeout.toMillis());
        Timeout response = Timeout.ofMilliseconds(responseTimeout.toMillis());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        // without limits the client keeps reading (and holding) a header line or headers for as long as they come
                        .setConnectionFactory(ManagedHttpClientConnectionFactory.builder().http1Config(Http1Config.custom()
                                .setMaxLineLength(MAX_LINE_LENGTH).setMaxHeaderCount(MAX_HEADERS).build()).build())
                        .setDnsResolver(checked)
                        // the certificate must name the URL's host, checked by the JDK and again by the client; SNI names it too
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls, HostnameVerificationPolicy.BOTH,
                                HttpsSupport.getDefaultHostnameVerifier()))
                        .setMaxConnPerRoute(perHost)
                        .setMaxConnTotal(total)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(response)
                                .setTimeToLive(Timeout.ofMinutes(1)).build())
                        .build())
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(connect).setResponseTimeout(response)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Tandem-Webhooks")
                .build();
    }

    /** Throws when the receiver did not answer 2xx ({@link Answered}), or could not be reached. */
    void send(String url, String secret, String body, String deliveryId, long timestamp) throws IOException {
        send(url, null, secret, body, deliveryId, timestamp);
    }

    /**
     * As {@link #send(String, String, String, String, long)}, connecting to {@code address}, one of the addresses
     * {@link WebhookAddresses#checkedAddressesOf} gave for the URL's host (null: whichever the client's lookup gives).
     */
    void send(String url, InetAddress address, String secret, String body, String deliveryId, long timestamp) throws IOException {
        HttpPost request = new HttpPost(url);
        URI uri = URI.create(url);
        // the URL's host stays the name TLS checks and sends; only the address to connect to is given
        HttpHost target = address == null ? null : new HttpHost(uri.getScheme(), address, uri.getHost(), uri.getPort());
        request.setHeader(DELIVERY, deliveryId);
        request.setHeader(TIMESTAMP, Long.toString(timestamp));
        request.setHeader(SIGNATURE, "sha256=" + sign(secret, timestamp + "." + body));
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> end = deadlines.schedule(request::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
        int status;
        try (ClassicHttpResponse response = http.executeOpen(target, request, null)) {
            status = response.getCode();
            request.cancel(); // the answer's body is not read: the connection is closed, never kept for another send
        } finally {
            end.cancel(false);
        }
        if (status / 100 != 2) {
            throw new Answered(status);
        }
    }

    static String sign(String secret, String payload) {
        return Hmac.sha256Hex(secret.getBytes(StandardCharsets.UTF_8), payload);
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }
}
