package app.tandem.gateway;

import app.tandem.platform.grpc.ReplicaTargets;
import app.tandem.platform.security.PersonIds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static app.tandem.platform.SettingChecks.atLeastOne;
import static app.tandem.platform.SettingChecks.longerThanZero;

/** The gateway's settings ({@code tandem.gateway.*} and {@code tandem.auth.*}), checked when it starts. */
@ConfigurationProperties("tandem")
public record GatewayProperties(@DefaultValue Gateway gateway, @DefaultValue Auth auth) {

    /**
     * @param targets        where each service is reached, by its name as the API's access option names its owner: each
     *                       replica's host:port (a list, or separated by commas), or one dns:///name:port whose records
     *                       are the replicas; calls go round robin over them
     * @param unaryDeadline  the longest a unary call may take inside; a client's shorter deadline is kept
     * @param streamDeadline the longest a stream stays open (or less, when the token runs out first); the client then
     *                       opens a new one from its cursor
     * @param limits         how many calls one person may make
     * @param webPort        the port for browsers (gRPC-Web and the web app); none when unset, a free one for 0
     */
    public record Gateway(Map<String, List<String>> targets, @DefaultValue("10s") Duration unaryDeadline,
                          @DefaultValue("1h") Duration streamDeadline, @DefaultValue Limits limits, Integer webPort) {
        public Gateway {
            targets = targets == null ? Map.of() : Map.copyOf(targets);
            targets.forEach((service, addresses) -> {
                if (!ReplicaTargets.valid(String.join(",", addresses))) {
                    throw new IllegalArgumentException("tandem.gateway.targets." + service + " must list host:port of each replica");
                }
            });
            longerThanZero("tandem.gateway.unary-deadline", unaryDeadline);
            longerThanZero("tandem.gateway.stream-deadline", streamDeadline);
        }
    }

    /**
     * Each person's calls through one gateway ({@code tandem.gateway.limits.*}), per minute and at once after a quiet
     * while: enough for anyone using the apps, far below what a script could send.
     *
     * @param writesPerMinute  calls that change something
     * @param readsPerMinute   calls marked {@code read_only}
     * @param streamsPerMinute streams opened, reconnections included
     * @param people           people whose recent calls are remembered at once; the least recent are forgotten beyond it
     */
    public record Limits(@DefaultValue("60") int writesPerMinute, @DefaultValue("30") int writeBurst,
                         @DefaultValue("300") int readsPerMinute, @DefaultValue("100") int readBurst,
                         @DefaultValue("12") int streamsPerMinute, @DefaultValue("6") int streamBurst,
                         @DefaultValue("100000") int people) {
        public Limits {
            atLeastOne("tandem.gateway.limits.writes-per-minute", writesPerMinute);
            atLeastOne("tandem.gateway.limits.write-burst", writeBurst);
            atLeastOne("tandem.gateway.limits.reads-per-minute", readsPerMinute);
            atLeastOne("tandem.gateway.limits.read-burst", readBurst);
            atLeastOne("tandem.gateway.limits.streams-per-minute", streamsPerMinute);
            atLeastOne("tandem.gateway.limits.stream-burst", streamBurst);
            atLeastOne("tandem.gateway.limits.people", people);
        }

        public Rate writes() {
            return new Rate(writesPerMinute, writeBurst);
        }

        public Rate reads() {
            return new Rate(readsPerMinute, readBurst);
        }

        public Rate streams() {
            return new Rate(streamsPerMinute, streamBurst);
        }
    }

    /** A token bucket: {@code perMinute} calls come back each minute, up to {@code burst} at once. */
    public record Rate(int perMinute, int burst) {

        /** How long an empty bucket takes to fill up again. */
        public Duration timeToFill() {
            return Duration.ofMinutes(1).multipliedBy(burst).dividedBy(perMinute).plusSeconds(1);
        }
    }

    /**
     * @param jwksUri        the token issuer's JSON Web Key Set: an https: URL (file: or http: only with allowLocalJwks)
     * @param issuer         the issuer a token must name
     * @param audience       the audience a token must name: this deployment of Tandem, as the identity provider calls it
     * @param maxTokenAge    tokens issued longer ago than this are refused, whatever their expiry says
     * @param allowLocalJwks accept a JWKS from a file or over plain HTTP: for the devstack and tests only
     * @param personIdKey    the secret (base64, 32 bytes or more) that turns a token's subject into the person's id
     */
    public record Auth(String jwksUri, String issuer, String audience, @DefaultValue("24h") Duration maxTokenAge,
                       boolean allowLocalJwks, String personIdKey) {
        public Auth {
            longerThanZero("tandem.auth.max-token-age", maxTokenAge);
            if (personIdKey == null || personIdKey.isBlank()) {
                throw new IllegalArgumentException("tandem.auth.person-id-key is required: the secret that makes person ids from subjects");
            }
        }

        public PersonIds personIds() {
            return new PersonIds(Base64.getDecoder().decode(personIdKey));
        }
    }
}
