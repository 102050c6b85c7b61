package app.tandem.devstack;

import app.tandem.api.v1.Role;
import app.tandem.gateway.web.WebRoute;
import app.tandem.testkit.DevTokenIssuer;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The web app's sign-in in the devstack and the browser tests: {@code POST /dev/sign-in} with a name answers a
 * partner's token for that name from the dev issuer, as {@code ./devstack/tandem token NAME} prints it, or with a name
 * and an organisation a counselor's token (roles {@code counselor}, {@code org}); {@code GET}
 * answers 204 so the app knows to offer it. It lives here, beside the dev issuer: a gateway built for a deployment has
 * no such route and no key to sign with.
 */
public final class DevSignIn implements WebRoute {

    static final String PATH = "/dev/sign-in";
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Pattern ORGANISATION = Pattern.compile("[\\p{L}\\p{N} .,&'-]{1,80}");
    private static final Duration LIFETIME = Duration.ofHours(12);

    private final DevTokenIssuer issuer;

    public DevSignIn(DevTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public HttpService service() {
        return (context, request) -> {
            if (request.method() == HttpMethod.GET) {
                return HttpResponse.of(ResponseHeaders.of(HttpStatus.NO_CONTENT, "cache-control", "no-store"));
            }
            if (request.method() != HttpMethod.POST) {
                return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
            }
            return HttpResponse.of(request.aggregate().thenApply(body -> {
                QueryParams form = QueryParams.fromQueryString(body.contentUtf8());
                String name = form.get("name", "");
                String organisation = form.get("organisation", "").strip();
                if (!NAME.matcher(name).matches()) {
                    return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, "name: 1 to 40 lower-case letters, digits or dashes");
                }
                if (!organisation.isEmpty() && !ORGANISATION.matcher(organisation).matches()) {
                    return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, "organisation: 1 to 80 letters, digits, spaces or .,&'-");
                }
                String token = organisation.isEmpty() ? issuer.issue(name, LIFETIME)
                        : issuer.issue(name, Set.of(Role.ROLE_COUNSELOR), organisation, LIFETIME);
                String json = "{\"token\":\"" + token + "\"}";
                return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.JSON_UTF_8, "cache-control", "no-store"),
                        HttpData.ofUtf8(json));
            }));
        };
    }

    /** The devstack's gateway: added by {@code spring.main.sources}, signing with the key in the data folder. */
    @Configuration(proxyBeanMethods = false)
    public static class FromDataFolder {
        @Bean
        DevSignIn devSignIn(@Value("${tandem.devstack.data}") Path dataFolder) {
            return new DevSignIn(DevTokenIssuer.inFolder(dataFolder));
        }
    }
}
