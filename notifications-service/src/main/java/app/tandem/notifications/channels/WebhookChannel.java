package app.tandem.notifications.channels;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Webhooks: a JSON POST signed with HMAC-SHA256 over "timestamp.body" with the person's secret, so the receiver
 * can check it came from Tandem and is fresh. {@code X-Tandem-Delivery} stays the same across retries.
 */
class WebhookChannel {

    static final String SIGNATURE = "X-Tandem-Signature";
    static final String TIMESTAMP = "X-Tandem-Timestamp";
    static final String DELIVERY = "X-Tandem-Delivery";

    // straight to the address checked, never through a proxy that resolves it again, and no redirect elsewhere
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.NEVER).build();

    /** Throws when the receiver did not answer 2xx. */
    void send(String url, String secret, ChannelMessage message, long timestamp) throws IOException, InterruptedException {
        String body = message.json();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(DELIVERY, message.deliveryId())
                .header(TIMESTAMP, Long.toString(timestamp))
                .header(SIGNATURE, "sha256=" + sign(secret, timestamp + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("webhook answered " + response.statusCode());
        }
    }

    static String sign(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
