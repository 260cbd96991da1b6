package dev.gavel.sidecar.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys and signatures with the JDK alone (the {@code Ed25519} algorithm of Java 15+). Keys
 * are PEM files as OpenSSL writes them: a private key is PKCS#8 ({@code BEGIN PRIVATE KEY}, what
 * {@code openssl genpkey -algorithm ed25519} prints), a public key is X.509 SubjectPublicKeyInfo
 * ({@code BEGIN PUBLIC KEY}, what {@code openssl pkey -pubout} prints).
 *
 * <p>A signature is pure Ed25519 over the bytes signed (the whole bundle), 64 bytes. A signature
 * file holds it in base64 on one line, as {@code gavel bundle} writes it, or as the 64 raw bytes
 * that {@code openssl pkeyutl -sign -rawin} writes: a file of exactly 64 bytes is raw, any other
 * is base64.
 */
final class Ed25519Keys {

    static final String ALGORITHM = "Ed25519";
    static final int SIGNATURE_LENGTH = 64;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

    private Ed25519Keys() {}

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Java 15 and later have Ed25519", e);
        }
    }

    /** The PEM text of a key: {@code PRIVATE KEY} (PKCS#8) or {@code PUBLIC KEY} (SubjectPublicKeyInfo). */
    static String pem(java.security.Key key) {
        String type = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The public key in a PEM file; what is wrong with the file otherwise, as CONFIG. */
    static PublicKey readPublic(Path file) throws SourceException {
        byte[] der = read(file, "PUBLIC KEY",
                "holds a private key; give the public key (PREFIX.pub.pem, or: openssl pkey -in KEY.pem -pubout)");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw config(file, "is not an Ed25519 public key (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Java 15 and later have Ed25519", e);
        }
    }

    /** The private key in a PEM file; what is wrong with the file otherwise, as CONFIG. */
    static PrivateKey readPrivate(Path file) throws SourceException {
        byte[] der = read(file, "PRIVATE KEY",
                "holds a public key; signing needs the private key (PREFIX.pem)");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw config(file, "is not an Ed25519 private key (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Java 15 and later have Ed25519", e);
        }
    }

    private static byte[] read(Path file, String type, String otherType) throws SourceException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw config(file, "cannot be read: " + e);
        }
        Matcher matcher = PEM.matcher(text);
        if (!matcher.find()) {
            throw config(file, "is not a PEM key file (-----BEGIN " + type + "-----)");
        }
        String found = matcher.group(1);
        if (found.contains("ENCRYPTED")) {
            throw config(file, "holds an encrypted key; write it unencrypted (openssl pkey -in KEY -out PLAIN.pem)");
        }
        if (!found.equals(type)) {
            if (found.endsWith(type.equals("PUBLIC KEY") ? "PRIVATE KEY" : "PUBLIC KEY")) {
                throw config(file, otherType);
            }
            throw config(file, "holds \"" + found + "\", not \"" + type + "\" (an Ed25519 key as OpenSSL writes it)");
        }
        try {
            return Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw config(file, "is not valid base64 inside its PEM markers");
        }
    }

    private static SourceException config(Path file, String problem) {
        return new SourceException(SourceException.Reason.CONFIG, "the key file " + file + " " + problem);
    }

    /** Signs a file's bytes. */
    static byte[] sign(PrivateKey key, Path file) throws IOException {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            update(signature, file);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an Ed25519 key read as one signs", e);
        }
    }

    /** Whether {@code signature} is {@code key}'s over the file's bytes. */
    static boolean verify(PublicKey key, Path file, byte[] signature) throws IOException {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            update(verifier, file);
            return verifier.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Java 15 and later have Ed25519", e);
        }
    }

    private static void update(Signature signature, Path file) throws IOException, SignatureException {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                signature.update(buffer, 0, n);
            }
        }
    }

    /** The signature file as {@code gavel bundle} writes it: base64 and a newline. */
    static String signatureText(byte[] signature) {
        return Base64.getEncoder().encodeToString(signature) + "\n";
    }

    /** The 64 signature bytes in a signature file (raw, or base64), or null when it holds neither. */
    static byte[] parseSignature(byte[] file) {
        if (file.length == SIGNATURE_LENGTH) {
            return file;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(new String(file, StandardCharsets.US_ASCII).strip());
            return decoded.length == SIGNATURE_LENGTH ? decoded : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
