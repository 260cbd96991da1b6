package dev.gavel.sts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes small directories for tests: accounts of users and roles, keys, devices and session keys. */
final class TestDirectory {

    static final String ALLOW_ALL_S3 = policy("{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}");

    private final Map<String, List<String>> users = new LinkedHashMap<>();
    private final Map<String, List<String>> roles = new LinkedHashMap<>();
    private final Map<String, List<String>> policies = new LinkedHashMap<>();
    private final List<String> accessKeys = new ArrayList<>();
    private final List<String> mfaDevices = new ArrayList<>();
    private final List<String> oidcProviders = new ArrayList<>();
    private final List<String> samlProviders = new ArrayList<>();
    private String sessionKeys = "{\"KeyId\": \"k1\", \"Secret\": \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\", "
            + "\"CreateDate\": \"2026-01-01T00:00:00Z\"}";

    static String policy(String... statements) {
        return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}";
    }

    TestDirectory user(String account, String name, String inlinePolicy) {
        String inline = inlinePolicy == null ? "[]"
                : "[{\"PolicyName\": \"Inline\", \"PolicyDocument\": " + inlinePolicy + "}]";
        users.computeIfAbsent(account, a -> new ArrayList<>()).add("{\"Path\": \"/\", \"UserName\": \"" + name
                + "\", \"UserId\": \"AIDA" + name.toUpperCase() + "0000000\", \"Arn\": \"arn:aws:iam::" + account
                + ":user/" + name + "\", \"GroupList\": [], \"UserPolicyList\": " + inline
                + ", \"AttachedManagedPolicies\": [], \"Tags\": [{\"Key\": \"team\", \"Value\": \"payments\"}]}");
        return this;
    }

    TestDirectory role(String account, String name, String trust, String inlinePolicy, int maxSession) {
        roles.computeIfAbsent(account, a -> new ArrayList<>()).add("{\"Path\": \"/\", \"RoleName\": \"" + name
                + "\", \"RoleId\": \"AROA" + name.toUpperCase() + "0000000\", \"Arn\": \"arn:aws:iam::" + account
                + ":role/" + name + "\", \"AssumeRolePolicyDocument\": " + trust + ", \"MaxSessionDuration\": "
                + maxSession + ", \"RolePolicyList\": [{\"PolicyName\": \"Inline\", \"PolicyDocument\": "
                + inlinePolicy + "}], \"AttachedManagedPolicies\": [], \"Tags\": []}");
        return this;
    }

    TestDirectory managedPolicy(String account, String name, String document) {
        policies.computeIfAbsent(account, a -> new ArrayList<>()).add("{\"PolicyName\": \"" + name + "\", \"Arn\": "
                + "\"arn:aws:iam::" + account + ":policy/" + name + "\", \"Path\": \"/\", \"DefaultVersionId\": \"v1\", "
                + "\"PolicyVersionList\": [{\"Document\": " + document + ", \"VersionId\": \"v1\", "
                + "\"IsDefaultVersion\": true}]}");
        return this;
    }

    TestDirectory accessKey(String id, String secret, String userArn, boolean active) {
        accessKeys.add("{\"AccessKeyId\": \"" + id + "\", \"SecretAccessKey\": \"" + secret + "\", \"UserArn\": \""
                + userArn + "\", \"Status\": \"" + (active ? "Active" : "Inactive")
                + "\", \"CreateDate\": \"2025-01-01T00:00:00Z\"}");
        return this;
    }

    TestDirectory mfaDevice(String serial, String userArn, String base32Seed) {
        mfaDevices.add("{\"SerialNumber\": \"" + serial + "\", \"UserArn\": \"" + userArn + "\", \"Base32StringSeed\": \""
                + base32Seed + "\"}");
        return this;
    }

    TestDirectory oidcProvider(String account, String host, String clientId, String jwksJson) {
        oidcProviders.add("{\"Arn\": \"arn:aws:iam::" + account + ":oidc-provider/" + host + "\", \"Url\": \"https://"
                + host + "\", \"ClientIDList\": [\"" + clientId + "\"], \"ThumbprintList\": [], \"Jwks\": " + jwksJson + "}");
        return this;
    }

    TestDirectory samlProvider(String account, String name, String metadataXml) {
        samlProviders.add("{\"Arn\": \"arn:aws:iam::" + account + ":saml-provider/" + name
                + "\", \"SAMLMetadataDocument\": \"" + metadataXml.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n").replace("\r", "\\r") + "\"}");
        return this;
    }

    TestDirectory sessionKey(String id, String base64Secret) {
        sessionKeys = "{\"KeyId\": \"" + id + "\", \"Secret\": \"" + base64Secret
                + "\", \"CreateDate\": \"2026-01-01T00:00:00Z\"}";
        return this;
    }

    Path write(Path folder) {
        try {
            Files.createDirectories(folder.resolve("accounts"));
            List<String> accounts = new ArrayList<>(users.keySet());
            roles.keySet().stream().filter(a -> !accounts.contains(a)).forEach(accounts::add);
            for (String account : accounts) {
                Files.writeString(folder.resolve("accounts/" + account + ".json"), "{\"UserDetailList\": ["
                        + String.join(", ", users.getOrDefault(account, List.of())) + "], \"RoleDetailList\": ["
                        + String.join(", ", roles.getOrDefault(account, List.of())) + "], \"Policies\": ["
                        + String.join(", ", policies.getOrDefault(account, List.of())) + "]}");
            }
            Files.writeString(folder.resolve("access-keys.json"), "{\"AccessKeys\": [" + String.join(", ", accessKeys) + "]}");
            Files.writeString(folder.resolve("mfa-devices.json"), "{\"MFADevices\": [" + String.join(", ", mfaDevices) + "]}");
            Files.writeString(folder.resolve("identity-providers.json"), "{\"OpenIDConnectProviders\": ["
                    + String.join(", ", oidcProviders) + "], \"SAMLProviders\": [" + String.join(", ", samlProviders) + "]}");
            Files.writeString(folder.resolve("session-keys.json"), "{\"SessionKeys\": [" + sessionKeys + "]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }
}
