package app.tandem.platform.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** HMAC-SHA256, the one keyed hash Tandem uses: derived keys, stored codes, webhook signatures. */
public final class Hmac {

    private Hmac() {
    }

    /** The HMAC-SHA256 of {@code message}, as UTF-8, under {@code key}. */
    public static byte[] sha256(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** As {@link #sha256}, in lower-case hex. */
    public static String sha256Hex(byte[] key, String message) {
        return HexFormat.of().formatHex(sha256(key, message));
    }
}
