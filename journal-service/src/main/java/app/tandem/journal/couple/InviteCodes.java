package app.tandem.journal.couple;

import app.tandem.platform.crypto.Hmac;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Invite codes people can read out to each other: ten characters from an alphabet without look-alikes.
 * A code is derived from a server secret and the couple, so a retried request returns the same code
 * without the code ever being stored; only its keyed hash is, which no one without the secret can test
 * guesses against (a code holds about 50 bits).
 */
public final class InviteCodes {

    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    public static final int LENGTH = 10;

    private final byte[] secret;

    public InviteCodes(byte[] secret) {
        this.secret = secret.clone();
    }

    public String codeFor(String coupleId) {
        byte[] mac = hmac("invite:" + coupleId);
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
        return HexFormat.of().formatHex(hmac("invite-hash:" + normalise(code)));
    }

    private byte[] hmac(String message) {
        return Hmac.sha256(secret, message);
    }
}
