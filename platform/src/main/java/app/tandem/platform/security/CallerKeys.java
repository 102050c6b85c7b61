package app.tandem.platform.security;

import app.tandem.platform.crypto.Hmac;
import java.util.Base64;

/**
 * The key a caller signs its assertions to one service with: HMAC-SHA256 of the caller's own secret over the
 * service's name. A service holds only the keys for itself, so it can neither speak for the gateway to another
 * service nor for another caller; the caller derives every key it needs from its one secret.
 */
public final class CallerKeys {

    private static final String CONTEXT = "tandem caller assertion key v1\u0000";
    public static final int MIN_SECRET_BYTES = 32;

    private CallerKeys() {
    }

    public static byte[] derive(byte[] callerSecret, String audience) {
        if (callerSecret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a caller secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        return Hmac.sha256(callerSecret, CONTEXT + audience);
    }

    /** The base64 form that configuration carries: {@code tandem.identity.trusted-callers.<caller>}. */
    public static String deriveEncoded(String callerSecretBase64, String audience) {
        return Base64.getEncoder().encodeToString(derive(decode(callerSecretBase64, "caller secret"), audience));
    }

    static byte[] decode(String base64, String what) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not base64", e);
        }
    }
}
