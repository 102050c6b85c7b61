package app.tandem.notifications.preferences;

import app.tandem.platform.crypto.Hmac;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The codes that confirm an e-mail address or a webhook: eight characters from an alphabet without look-alikes
 * (about 40 bits), shown as two groups of four. A code derives from a server secret and its challenge, so it is
 * never stored; what is stored is its keyed hash, which no one without the secret can test guesses against.
 */
public final class ConfirmationCodes {

    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 8;

    private final byte[] secret;

    public ConfirmationCodes(byte[] secret) {
        this.secret = secret.clone();
    }

    /** The code of one challenge, as sent: "ABCD-EFGH". */
    public String codeFor(String personId, Contact contact, String challengeId) {
        byte[] mac = hmac("contact-code:" + contact.name() + ":" + challengeId + ":" + personId);
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                code.append('-');
            }
            code.append(ALPHABET.charAt((mac[i] & 0xff) % ALPHABET.length()));
        }
        return code.toString();
    }

    static String normalise(String code) {
        return code == null ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    /** Whether {@code code} could be a code at all; one that could not is no attempt. */
    public static boolean isWellFormed(String code) {
        String normalised = normalise(code);
        return normalised.length() == LENGTH && normalised.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    /**
     * The exact address a challenge was sent to and a confirmation holds, as an HMAC under the server secret: the
     * same address gives the same key, and the key gives no address away.
     */
    public String addressKey(Contact contact, String address) {
        return HexFormat.of().formatHex(hmac("contact-address:" + contact.name() + ":" + address));
    }

    /** Whom codes go to, as they are counted: the address without the differences in case or spacing that reach the same one. */
    String recipientKey(Contact contact, String address) {
        return HexFormat.of().formatHex(hmac("contact-recipient:" + contact.name() + ":" + address.strip().toLowerCase(Locale.ROOT)));
    }

    /** What is stored of a code: an HMAC under the server secret. */
    String hash(String code) {
        return HexFormat.of().formatHex(hmac("contact-code-hash:" + normalise(code)));
    }

    /** Compared in constant time, so how long an answer takes says nothing about how close a guess was. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] hmac(String message) {
        return Hmac.sha256(secret, message);
    }
}
