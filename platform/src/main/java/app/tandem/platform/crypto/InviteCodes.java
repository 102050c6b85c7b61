package app.tandem.platform.crypto;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Invite codes people can read out to each other: ten characters from an alphabet without look-alikes.
 * A code is derived from a server secret and what it invites to (a couple, a counselor's client), so a retried
 * request returns the same code without the code ever being stored; only its keyed hash is, which no one without
 * the secret can test guesses against (a code holds about 50 bits). Each kind of invitation has codes of its own.
 */
public final class InviteCodes {

    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    public static final int LENGTH = 10;

    private final byte[] secret;
    private final String kind;

    /** @param kind what the codes invite to, e.g. "invite" (a couple); codes of one kind never match another's */
    public InviteCodes(byte[] secret, String kind) {
        this.secret = secret.clone();
        this.kind = kind;
    }

    public String codeFor(String invitationId) {
        byte[] mac = hmac(kind + ":" + invitationId);
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET[(mac[i] & 0xff) % ALPHABET.length]);
        }
        return code.toString();
    }

    public static String normalise(String code) {
        return code == null ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    public static boolean isWellFormed(String code) {
        String normalised = normalise(code);
        return normalised.length() == LENGTH && normalised.chars().allMatch(c -> new String(ALPHABET).indexOf(c) >= 0);
    }

    /** What is stored of a code and looked up by: an HMAC under the server secret. */
    public String hash(String code) {
        return HexFormat.of().formatHex(hmac(kind + "-hash:" + normalise(code)));
    }

    private byte[] hmac(String message) {
        return Hmac.sha256(secret, message);
    }
}
