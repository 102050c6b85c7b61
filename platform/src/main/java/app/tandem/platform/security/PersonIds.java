package app.tandem.platform.security;

import app.tandem.platform.crypto.Hmac;

import java.util.HexFormat;

/**
 * The id a person has inside Tandem: a keyed pseudonym of their token's subject, which may be an e-mail address.
 * The same subject always maps to the same id, so nothing needs storing; without the key an id cannot be traced
 * back to the subject. Events, Kafka keys, read models and logs only ever see this id.
 */
public final class PersonIds {

    private final byte[] key;

    public PersonIds(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the person-id key must be at least 32 bytes");
        }
        this.key = key.clone();
    }

    public String of(String subject) {
        // 128 bits of the HMAC: no two people share an id in practice, and it stays short in keys and indexes
        return "p" + HexFormat.of().formatHex(Hmac.sha256(key, subject), 0, 16);
    }
}
