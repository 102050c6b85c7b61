package app.tandem.platform.security;

import app.tandem.api.v1.Role;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Roles as tokens and assertions name them: "partner", "counselor", "operator", "service". */
public final class Roles {

    private static final String PREFIX = "ROLE_";

    private Roles() {
    }

    public static String claimOf(Role role) {
        return role.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromClaim(String claim) {
        for (Role role : Role.values()) {
            if (role != Role.ROLE_UNSPECIFIED && role != Role.UNRECOGNIZED && claimOf(role).equals(claim)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    public static List<String> claimsOf(Set<Role> roles) {
        return roles.stream().sorted().map(Roles::claimOf).toList();
    }

    /** The known roles among {@code claims}; unknown names are ignored, as a newer issuer may add some. */
    public static Set<Role> fromClaims(List<String> claims) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        claims.forEach(claim -> fromClaim(claim).ifPresent(roles::add));
        return roles;
    }
}
