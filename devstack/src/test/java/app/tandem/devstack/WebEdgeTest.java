package app.tandem.devstack;

import app.tandem.api.v1.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's web port over plain HTTP, as a browser's fetch sees it: the app's page with its security headers, and
 * gRPC-Web calls that pass the same authentication and roles as the gRPC port.
 */
@ExtendWith(EmbeddedTandem.class)
class WebEdgeTest {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TandemUnderTest tandem;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
    }

    @Test
    void theAppsPageAdmitsOnlyItsOwnScriptAndOriginAndIsNotKept() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(tandem.webAddress)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Tandem</title>", "Quick exit");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("referrer-policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
    }

    @Test
    void grpcWebCallsPassTheSameAuthenticationAndRoles() throws Exception {
        String stats = "tandem.api.v1.JournalService/GetStats";
        String processors = "tandem.api.v1.OperatorService/ListProcessors";
        String partner = tandem.issuer.issue("web-" + GatewayClient.key(), Duration.ofMinutes(5));
        String operator = tandem.issuer.issue("web-op-" + GatewayClient.key(), Set.of(Role.ROLE_OPERATOR), null, Duration.ofMinutes(5));

        assertThat(grpcWebStatus(stats, null)).as("no token").isEqualTo("16");
        assertThat(grpcWebStatus(stats, tandem.issuer.sign("x", "https://elsewhere", java.time.Instant.now(), Duration.ofMinutes(5))))
                .as("a token of another issuer").isEqualTo("16");
        assertThat(grpcWebStatus(stats, partner)).as("a partner's own stats").isEqualTo("0");
        assertThat(grpcWebStatus(processors, partner)).as("an operator's API with a partner's token").isEqualTo("7");
        assertThat(grpcWebStatus(processors, operator)).isNotIn("16", "7");
    }

    @Test
    void theDevSignInGivesATokenForAWellFormedNameOnly() throws Exception {
        assertThat(devSignIn("name=Not%20A%20Name").statusCode()).isEqualTo(400);
        assertThat(devSignIn("name=kim").body()).startsWith("{\"token\":\"ey");
    }

    @Test
    void theDevSignInGivesACounselorsTokenForANameAndOrganisation() throws Exception {
        assertThat(devSignIn("name=kim&organisation=%3Cscript%3E").statusCode()).isEqualTo(400);
        String body = devSignIn("name=dr-kim&organisation=Harbour%20Clinic").body();
        String counselor = body.substring("{\"token\":\"".length(), body.length() - 2);

        assertThat(grpcWebStatus("tandem.api.v1.CareService/ListClients", counselor)).as("a counselor's clients").isEqualTo("0");
        assertThat(grpcWebStatus("tandem.api.v1.JournalService/GetStats", counselor)).as("a partner's API").isEqualTo("7");
    }

    private static HttpResponse<String> devSignIn(String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(tandem.webAddress + "dev/sign-in"))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The grpc-status of an empty request: from the headers of a trailers-only answer, else from the trailer frame. */
    private static String grpcWebStatus(String method, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tandem.webAddress + method))
                .header("content-type", "application/grpc-web+proto").header("x-grpc-web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5]));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        if (answer.headers().firstValue("grpc-status").isPresent()) {
            return answer.headers().firstValue("grpc-status").get();
        }
        ByteBuffer body = ByteBuffer.wrap(answer.body());
        while (body.remaining() >= 5) {
            byte flags = body.get();
            byte[] frame = new byte[body.getInt()];
            body.get(frame);
            if ((flags & 0x80) != 0) {
                for (String line : new String(frame, StandardCharsets.US_ASCII).split("\r\n")) {
                    if (line.toLowerCase().startsWith("grpc-status:")) {
                        return line.substring("grpc-status:".length()).trim();
                    }
                }
            }
        }
        throw new AssertionError("no grpc-status in the answer to " + method);
    }
}
