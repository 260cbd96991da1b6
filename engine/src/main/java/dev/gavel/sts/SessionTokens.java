package dev.gavel.sts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.directory.Session;
import dev.gavel.directory.SessionKey;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals sessions into session tokens and opens them again, so that sessions need no store.
 *
 * <p>A token is AES-256-GCM authenticated encryption of the session, under a named key:
 *
 * <pre>
 *  0       3    4          4+n        16+n
 *  +-------+----+----------+----------+---------------------------+
 *  | "GV1" | n  | key id   | nonce    | ciphertext + 16-byte tag  |
 *  +-------+----+----------+----------+---------------------------+
 *   version     (n bytes)   (12 bytes)  AAD = the first 4+n bytes
 * </pre>
 *
 * then base64. The newest key seals; every key opens, so keys rotate without invalidating live
 * sessions. A session's secret access key is derived from its access key id under the same
 * key, so that any instance holding the key can verify the session's signatures.
 */
public final class SessionTokens {

    private static final byte[] VERSION = "GV1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final String INVALID = "The security token included in the request is invalid.";
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonReader READER = new JsonReader(64 << 10, 8);

    /** A session key's two derived keys: one encrypts tokens, one derives secrets. */
    private record DerivedKey(String id, SecretKeySpec encryption, SecretKeySpec secrets) {}

    private final List<DerivedKey> keys;
    private final Clock clock;
    private final SecureRandom random;

    /** @param keys the session keys, newest first (as {@code Directory.sessionKeys()} gives them) */
    public SessionTokens(List<SessionKey> keys, Clock clock, SecureRandom random) {
        List<DerivedKey> derived = new ArrayList<>();
        for (SessionKey key : keys) {
            derived.add(new DerivedKey(key.id(), new SecretKeySpec(hmac(key.secret(), "gavel token encryption"), "AES"),
                    new SecretKeySpec(hmac(key.secret(), "gavel session secret"), "HmacSHA256")));
        }
        this.keys = List.copyOf(derived);
        this.clock = clock;
        this.random = random;
    }

    /** A fresh access key id for a session: {@code ASIA} and 16 letters and digits. */
    public String newAccessKeyId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("ASIA");
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    /** Seals a session with the newest key. */
    public String seal(Session session) throws StsException {
        if (keys.isEmpty()) {
            throw new StsException("ServiceUnavailable", "no session key is configured (session-keys.json)");
        }
        DerivedKey key = keys.get(0);
        byte[] header = header(key.id());
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.encryption(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(toJson(session).getBytes(StandardCharsets.UTF_8));
            ByteBuffer token = ByteBuffer.allocate(header.length + nonce.length + sealed.length);
            token.put(header).put(nonce).put(sealed);
            return Base64.getEncoder().encodeToString(token.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Opens a token: it must be sealed by a known key, unaltered, and not expired by the clock.
     * Refusals are {@code InvalidClientTokenId} and {@code ExpiredToken}, as AWS answers.
     */
    public Session open(String token) throws StsException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        if (bytes.length < VERSION.length + 1 || !MessageDigest.isEqual(slice(bytes, 0, VERSION.length), VERSION)) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        int idLength = bytes[VERSION.length] & 0xff;
        int headerLength = VERSION.length + 1 + idLength;
        if (bytes.length < headerLength + NONCE_LENGTH + TAG_BITS / 8) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        String keyId = new String(bytes, VERSION.length + 1, idLength, StandardCharsets.UTF_8);
        DerivedKey key = keys.stream().filter(k -> k.id().equals(keyId)).findFirst().orElse(null);
        if (key == null) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.encryption(),
                    new GCMParameterSpec(TAG_BITS, bytes, headerLength, NONCE_LENGTH));
            cipher.updateAAD(bytes, 0, headerLength);
            plain = cipher.doFinal(bytes, headerLength + NONCE_LENGTH, bytes.length - headerLength - NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new StsException("InvalidClientTokenId", INVALID);
        }
        Session session = fromJson(new String(plain, StandardCharsets.UTF_8));
        if (!clock.instant().isBefore(session.expiresAt())) {
            throw new StsException("ExpiredToken", "The security token included in the request is expired");
        }
        return session;
    }

    /** The secret access key of a session, derived under the key that opens its token. */
    public String secretFor(Session session, String token) throws StsException {
        byte[] bytes = Base64.getDecoder().decode(token);
        int idLength = bytes[VERSION.length] & 0xff;
        String keyId = new String(bytes, VERSION.length + 1, idLength, StandardCharsets.UTF_8);
        for (DerivedKey key : keys) {
            if (key.id().equals(keyId)) {
                return secret(key, session);
            }
        }
        throw new StsException("InvalidClientTokenId", INVALID);
    }

    private static String secret(DerivedKey key, Session session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.secrets());
            byte[] digest = mac.doFinal((session.accessKeyId() + "|" + session.issuedAt().getEpochSecond())
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest).substring(0, 40);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] header(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer header = ByteBuffer.allocate(VERSION.length + 1 + id.length);
        header.put(VERSION).put((byte) id.length).put(id);
        return header.array();
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] slice(byte[] bytes, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, from, out, 0, length);
        return out;
    }

    static String toJson(Session session) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("kind", session.kind().name());
            json.writeStringField("account", session.accountId());
            json.writeStringField("role", session.roleArn());
            json.writeStringField("user", session.userArn());
            json.writeStringField("name", session.sessionName());
            json.writeStringField("key", session.accessKeyId());
            json.writeNumberField("iat", session.issuedAt().getEpochSecond());
            json.writeNumberField("exp", session.expiresAt().getEpochSecond());
            json.writeStringField("policy", session.inlinePolicy());
            json.writeArrayFieldStart("policyArns");
            for (String arn : session.policyArns()) {
                json.writeString(arn);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> tag : session.tags().entrySet()) {
                json.writeStringField(tag.getKey(), tag.getValue());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("transitive");
            for (String key : session.transitiveTagKeys()) {
                json.writeString(key);
            }
            json.writeEndArray();
            json.writeStringField("sourceIdentity", session.sourceIdentity());
            if (session.mfaAuthenticatedAt() != null) {
                json.writeNumberField("mfa", session.mfaAuthenticatedAt().getEpochSecond());
            }
            json.writeStringField("provider", session.federatedProvider());
            json.writeBooleanField("chained", session.chained());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Session fromJson(String text) throws StsException {
        try {
            JsonObject object = (JsonObject) READER.read(text);
            Map<String, String> tags = new LinkedHashMap<>();
            for (JsonObject.Member tag : ((JsonObject) object.get("tags")).members()) {
                tags.put(tag.name(), tag.value().scalarText());
            }
            return new Session(Session.Kind.valueOf(text(object, "kind")), text(object, "account"),
                    text(object, "role"), text(object, "user"), text(object, "name"), text(object, "key"),
                    Instant.ofEpochSecond(Long.parseLong(text(object, "iat"))),
                    Instant.ofEpochSecond(Long.parseLong(text(object, "exp"))), text(object, "policy"),
                    strings(object, "policyArns"), tags, strings(object, "transitive"), text(object, "sourceIdentity"),
                    object.get("mfa") == null ? null : Instant.ofEpochSecond(Long.parseLong(text(object, "mfa"))),
                    text(object, "provider"), Boolean.parseBoolean(text(object, "chained")));
        } catch (JsonSyntaxException | RuntimeException e) {
            // A token that authenticated but does not read is one this version did not seal.
            throw new StsException("InvalidClientTokenId", INVALID);
        }
    }

    private static String text(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value == null ? null : value.scalarText();
    }

    private static List<String> strings(JsonObject object, String name) {
        return ((JsonArray) object.get(name)).elements().stream().map(JsonValue::scalarText).toList();
    }
}
