package app.tandem.platform.crypto;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.bson.types.Binary;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Encrypts a person's free text with that person's own AES-256-GCM key before it is stored or published.
 * Person keys live in the service's database, wrapped by a master key from configuration; erasing a person
 * deletes their key, after which every copy of their text, in events, snapshots and backups, is unreadable.
 */
public class PersonalDataCipher {

    private static final String PREFIX = "pdc1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MongoCollection<Document> keys;
    private final SecretKey masterKey;
    private final SecureRandom random = new SecureRandom();

    public PersonalDataCipher(MongoDatabase database, byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes (AES-256)");
        }
        this.keys = database.getCollection("person_keys");
        this.masterKey = new SecretKeySpec(masterKey, "AES");
    }

    public String encrypt(String personId, String plaintext) {
        if (plaintext == null || plaintext.isEmpty()) {
            return "";
        }
        byte[] sealed = seal(keyOf(personId), plaintext.getBytes(StandardCharsets.UTF_8), personId);
        return PREFIX + Base64.getEncoder().encodeToString(sealed);
    }

    /**
     * The plaintext, or empty when the person's key was erased: also when they came back after an erasure and have a
     * new key, which cannot open what was sealed under the destroyed one.
     */
    public Optional<String> decrypt(String personId, String ciphertext) {
        if (ciphertext == null || ciphertext.isEmpty()) {
            return Optional.of("");
        }
        if (!isSealed(ciphertext)) {
            throw new IllegalArgumentException("not a personal-data ciphertext");
        }
        byte[] sealed = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
        return existingKey(personId).flatMap(key -> {
            try {
                return Optional.of(new String(open(key, sealed, personId), StandardCharsets.UTF_8));
            } catch (IllegalStateException e) {
                if (e.getCause() instanceof AEADBadTagException) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Whether a stored value is ciphertext of this cipher (values stored before they were sealed are not). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Crypto-shredding: without the key nothing this person wrote can be read again. */
    public void erase(String personId) {
        keys.deleteOne(eq("_id", personId));
    }

    private SecretKey keyOf(String personId) {
        return existingKey(personId).orElseGet(() -> createKey(personId));
    }

    private Optional<SecretKey> existingKey(String personId) {
        Document document = keys.find(eq("_id", personId)).first();
        if (document == null) {
            return Optional.empty();
        }
        byte[] wrapped = document.get("key", Binary.class).getData();
        return Optional.of(new SecretKeySpec(open(masterKey, wrapped, personId), "AES"));
    }

    private SecretKey createKey(String personId) {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, random);
            SecretKey key = generator.generateKey();
            keys.insertOne(new Document("_id", personId).append("key", new Binary(seal(masterKey, key.getEncoded(), personId))));
            return key;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                // another request created it first: use theirs
                return existingKey(personId).orElseThrow();
            }
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] seal(SecretKey key, byte[] plaintext, String personId) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            // binds the ciphertext to its owner: it cannot be moved to another person's record
            cipher.updateAAD(personId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] open(SecretKey key, byte[] sealed, String personId) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(personId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt personal data", e);
        }
    }
}
