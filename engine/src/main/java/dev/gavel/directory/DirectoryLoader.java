package dev.gavel.directory;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gavel.eval.PublicBucketPolicy;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonStream;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.match.Arn;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import dev.gavel.saml.SamlMetadata;
import dev.gavel.saml.SamlMetadataException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a directory folder, or a single account dump, validating everything in it; a directory
 * with any problem loads nothing.
 *
 * <pre>
 * DIR/accounts/ACCOUNT_ID.json      aws iam get-account-authorization-details, one file per account
 * DIR/access-keys.json              {"AccessKeys": [{"AccessKeyId", "SecretAccessKey", "UserArn", "Status", "CreateDate"}]}
 * DIR/mfa-devices.json              {"MFADevices": [{"SerialNumber", "UserArn", "Base32StringSeed"}]}
 * DIR/identity-providers.json       {"OpenIDConnectProviders": [{"Arn", "Url", "ClientIDList", "ThumbprintList", "Jwks"}],
 *                                    "SAMLProviders": [{"Arn", "SAMLMetadataDocument"}]}
 * DIR/resource-policies.json        {"ResourcePolicies": [{"ResourceArn", "Account", "Policy" (optional),
 *                                     "PublicAccessBlockConfiguration" (optional, S3 buckets)}]}
 * DIR/organization.json             {"Organization": {"Id", "ManagementAccountId"}, "Policies": {...}, "Root": {...}}
 * DIR/session-keys.json             {"SessionKeys": [{"KeyId", "Secret" (base64, 32 bytes), "CreateDate"}]}
 * </pre>
 *
 * Every file but the accounts is optional. corpus/README.md documents each format. A single
 * file of {@code aws iam get-account-authorization-details} output is a directory too: one account,
 * whose id its ARNs give ({@link #loadFolderOrDump}).
 *
 * <p>Account files are read as a stream, entity by entity ({@link AuthorizationDetailsReader}),
 * and equal values are shared across the whole load ({@link Interner}), so the heap a load needs
 * is little more than the directory it builds: a generated account of 100,000 principals (95 MB of
 * JSON, DirectoryGenerator) loads in a 128 MiB heap and keeps about 90 MiB, where reading the file
 * whole needed 640 MiB and kept 172 MiB. The other files are small and are read whole.
 */
public final class DirectoryLoader {

    /** The largest file read, in characters. */
    public static final int MAX_FILE_LENGTH = 256 << 20;

    private static final int MAX_DEPTH = 64;
    private static final JsonReader READER = new JsonReader(MAX_FILE_LENGTH, MAX_DEPTH);
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("AKIA[A-Z0-9]{16}");
    private static final Set<String> KNOWN_FILES = Set.of("access-keys.json", "mfa-devices.json",
            "identity-providers.json", "resource-policies.json", "organization.json", "session-keys.json");

    private final List<LoadProblem> problems = new ArrayList<>();
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, AccessKey> accessKeys = new HashMap<>();
    private final Map<String, MfaDevice> mfaDevices = new HashMap<>();
    private final Map<String, OidcProvider> oidcProviders = new HashMap<>();
    private final Map<String, SamlProvider> samlProviders = new HashMap<>();
    private final Map<String, ResourcePolicy> resourcePolicies = new HashMap<>();
    private final List<SessionKey> sessionKeys = new ArrayList<>();
    private final Interner interner = new Interner();
    private Organization organization;

    private DirectoryLoader() {}

    /** Loads a directory folder, or throws with every problem found. */
    public static Directory load(Path folder) throws DirectoryException {
        DirectoryLoader loader = new DirectoryLoader();
        loader.readFolder(folder);
        return loader.directory();
    }

    /**
     * Loads a directory folder, or a single file of {@code aws iam get-account-authorization-details}
     * output as a directory of that one account, whose id the ARNs in it give; or throws with every
     * problem found.
     */
    public static Directory loadFolderOrDump(Path path) throws DirectoryException {
        DirectoryLoader loader = new DirectoryLoader();
        if (Files.isDirectory(path)) {
            loader.readFolder(path);
        } else if (Files.isRegularFile(path)) {
            Account account = loader.readAccount(path, null);
            if (account != null) {
                loader.accounts.put(account.id(), account);
            }
        } else {
            loader.problems.add(new LoadProblem(path.toString(), 0, 0, "",
                    "no directory folder or account dump file here"));
        }
        return loader.directory();
    }

    private Directory directory() throws DirectoryException {
        if (!problems.isEmpty()) {
            throw new DirectoryException(problems);
        }
        return new Directory(accounts, accessKeys, mfaDevices, oidcProviders, samlProviders, resourcePolicies,
                organization, sessionKeys);
    }

    private void readFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            problems.add(new LoadProblem(folder.toString(), 0, 0, "", "not a directory folder"));
            return;
        }
        Path accountsFolder = folder.resolve("accounts");
        List<Path> accountFiles = list(accountsFolder);
        if (accountFiles.isEmpty()) {
            problems.add(new LoadProblem(accountsFolder.toString(), 0, 0, "",
                    "a directory needs accounts/ACCOUNT_ID.json files (aws iam get-account-authorization-details)"));
        }
        for (Path file : accountFiles) {
            String name = file.getFileName().toString();
            String accountId = name.substring(0, name.length() - ".json".length());
            if (!ACCOUNT_ID.matcher(accountId).matches()) {
                problems.add(new LoadProblem(file.toString(), 0, 0, "",
                        "account files are named by their 12-digit account id, as 111122223333.json"));
                continue;
            }
            Account account = readAccount(file, accountId);
            if (account != null) {
                accounts.put(accountId, account);
            }
        }
        for (Path file : list(folder)) {
            if (!KNOWN_FILES.contains(file.getFileName().toString())) {
                problems.add(new LoadProblem(file.toString(), 0, 0, "", "unknown directory file; expected one of "
                        + KNOWN_FILES.stream().sorted().toList()));
            }
        }
        readOptional(folder.resolve("access-keys.json"), this::accessKeys);
        readOptional(folder.resolve("mfa-devices.json"), this::mfaDevices);
        readOptional(folder.resolve("identity-providers.json"), this::identityProviders);
        readOptional(folder.resolve("resource-policies.json"), this::resourcePolicies);
        readOptional(folder.resolve("organization.json"), (source, root) ->
                organization = new OrganizationReader(source, accounts.keySet()).read(root));
        readOptional(folder.resolve("session-keys.json"), this::sessionKeys);
    }

    /** Reads one file's root object. */
    private interface FileReader {
        void read(SourceFile source, JsonObject root);
    }

    private void readOptional(Path file, FileReader reader) {
        if (Files.exists(file)) {
            read(file, reader);
        }
    }

    /**
     * Reads an account dump as a stream; the account, or null after recording its problems. The
     * account id is the file's name, or null to take it from the ARNs in the dump.
     */
    private Account readAccount(Path file, String accountId) {
        List<LoadProblem> found = new ArrayList<>();
        AuthorizationDetailsReader reader = accountId == null
                ? AuthorizationDetailsReader.ofDump(file.toString(), found, interner)
                : AuthorizationDetailsReader.ofAccountFile(file.toString(), accountId, found, interner);
        try (Reader text = new InputStreamReader(Files.newInputStream(file), utf8());
                JsonStream json = new JsonStream(text, MAX_FILE_LENGTH, MAX_DEPTH)) {
            Account account = reader.read(json);
            problems.addAll(found);
            return account;
        } catch (CharacterCodingException e) {
            problems.add(new LoadProblem(file.toString(), 0, 0, "", "not UTF-8 text"));
        } catch (IOException e) {
            problems.add(new LoadProblem(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
        } catch (JsonSyntaxException e) {
            // As for a file read whole, a file that is not JSON has this one problem.
            problems.add(new LoadProblem(file.toString(), e.position().line(), e.position().column(), "",
                    e.getMessage()));
        }
        return null;
    }

    /** A UTF-8 decoder that refuses malformed input instead of replacing it. */
    private static CharsetDecoder utf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private void read(Path file, FileReader reader) {
        String text;
        try {
            text = utf8().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            problems.add(new LoadProblem(file.toString(), 0, 0, "", "not UTF-8 text"));
            return;
        } catch (IOException e) {
            problems.add(new LoadProblem(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
            return;
        }
        JsonValue root;
        try {
            root = READER.read(text);
        } catch (JsonSyntaxException e) {
            problems.add(new LoadProblem(file.toString(), e.position().line(), e.position().column(), "",
                    e.getMessage()));
            return;
        }
        SourceFile source = new SourceFile(file.toString(), text, problems);
        JsonObject object = source.object(root, "");
        if (object != null) {
            reader.read(source, object);
        }
    }

    private void accessKeys(SourceFile source, JsonObject root) {
        List<JsonValue> keys = source.array(root, "AccessKeys", "");
        for (int i = 0; i < keys.size(); i++) {
            String path = "AccessKeys[" + i + "]";
            JsonObject key = source.object(keys.get(i), path);
            if (key == null) {
                continue;
            }
            String id = source.string(key, "AccessKeyId", path, true);
            String secret = source.string(key, "SecretAccessKey", path, true);
            String userArn = source.string(key, "UserArn", path, true);
            String status = source.string(key, "Status", path, true);
            Instant created = instant(source, key, "CreateDate", path);
            if (id != null && !ACCESS_KEY_ID.matcher(id).matches()) {
                source.problem(key.get("AccessKeyId"), path + ".AccessKeyId",
                        "an access key id is AKIA followed by 16 letters or digits");
            }
            if (secret != null && secret.length() != 40) {
                source.problem(key.get("SecretAccessKey"), path + ".SecretAccessKey",
                        "a secret access key has 40 characters");
            }
            if (status != null && !status.equals("Active") && !status.equals("Inactive")) {
                source.problem(key.get("Status"), path + ".Status", "must be \"Active\" or \"Inactive\"");
            }
            User user = userArn == null ? null : Directory.user(accounts, userArn);
            if (userArn != null && user == null) {
                source.problem(key.get("UserArn"), path + ".UserArn", "no user " + userArn + " in the directory");
            } else if (user != null) {
                userArn = user.arn();
            }
            if (id != null && secret != null && userArn != null && status != null
                    && accessKeys.putIfAbsent(id, new AccessKey(id, secret, userArn, status.equals("Active"), created))
                    != null) {
                source.problem(key, path, "access key " + id + " appears twice");
            }
        }
    }

    private void mfaDevices(SourceFile source, JsonObject root) {
        List<JsonValue> devices = source.array(root, "MFADevices", "");
        for (int i = 0; i < devices.size(); i++) {
            String path = "MFADevices[" + i + "]";
            JsonObject device = source.object(devices.get(i), path);
            if (device == null) {
                continue;
            }
            String serial = source.string(device, "SerialNumber", path, true);
            String userArn = source.string(device, "UserArn", path, true);
            String seedText = source.string(device, "Base32StringSeed", path, true);
            byte[] seed = seedText == null ? null : Base32.decode(seedText);
            if (seedText != null && (seed == null || seed.length < 10)) {
                source.problem(device.get("Base32StringSeed"), path + ".Base32StringSeed",
                        "must be a base32 TOTP seed of at least 80 bits");
            }
            User user = userArn == null ? null : Directory.user(accounts, userArn);
            if (userArn != null && user == null) {
                source.problem(device.get("UserArn"), path + ".UserArn", "no user " + userArn + " in the directory");
            } else if (user != null) {
                userArn = user.arn();
            }
            if (serial != null && userArn != null && seed != null
                    && mfaDevices.putIfAbsent(serial, new MfaDevice(serial, userArn, seed)) != null) {
                source.problem(device, path, "MFA device " + serial + " appears twice");
            }
        }
    }

    private void identityProviders(SourceFile source, JsonObject root) {
        List<JsonValue> oidc = source.array(root, "OpenIDConnectProviders", "");
        for (int i = 0; i < oidc.size(); i++) {
            String path = "OpenIDConnectProviders[" + i + "]";
            JsonObject provider = source.object(oidc.get(i), path);
            if (provider == null) {
                continue;
            }
            String arn = source.string(provider, "Arn", path, true);
            String url = source.string(provider, "Url", path, true);
            List<String> clientIds = source.strings(provider, "ClientIDList", path);
            List<String> thumbprints = source.strings(provider, "ThumbprintList", path);
            JsonValue jwks = provider.get("Jwks");
            String accountId = providerAccount(source, provider, path, arn, "oidc-provider/");
            if (url != null && !url.startsWith("https://")) {
                source.problem(provider.get("Url"), path + ".Url", "an OIDC issuer URL starts with https://");
            }
            if (arn != null && url != null && !arn.endsWith(":oidc-provider/" + url.replaceFirst("^https://", ""))) {
                source.problem(provider.get("Arn"), path + ".Arn", "the ARN must end with oidc-provider/ and the "
                        + "issuer URL without https://");
            }
            if (clientIds.isEmpty()) {
                source.problem(provider, path, "an OIDC provider needs at least one client id (audience)");
            }
            String jwksText = jwks == null ? null : jwksText(source, jwks, path + ".Jwks");
            if (jwks == null) {
                source.problem(provider, path, "missing \"Jwks\": the issuer's public signing keys");
            }
            if (arn != null && url != null && accountId != null && jwksText != null) {
                oidcProviders.put(arn, new OidcProvider(arn, accountId, url, clientIds, thumbprints, jwksText));
            }
        }
        List<JsonValue> saml = source.array(root, "SAMLProviders", "");
        for (int i = 0; i < saml.size(); i++) {
            String path = "SAMLProviders[" + i + "]";
            JsonObject provider = source.object(saml.get(i), path);
            if (provider == null) {
                continue;
            }
            String arn = source.string(provider, "Arn", path, true);
            String metadata = source.string(provider, "SAMLMetadataDocument", path, true);
            String accountId = providerAccount(source, provider, path, arn, "saml-provider/");
            if (metadata != null) {
                try {
                    SamlMetadata.parse(metadata);
                } catch (SamlMetadataException e) {
                    source.problem(provider.get("SAMLMetadataDocument"), path + ".SAMLMetadataDocument", e.getMessage());
                    continue;
                }
            }
            if (arn != null && metadata != null && accountId != null) {
                String name = arn.substring(arn.indexOf("saml-provider/") + "saml-provider/".length());
                samlProviders.put(arn, new SamlProvider(arn, accountId, name, metadata));
            }
        }
    }

    private String providerAccount(SourceFile source, JsonObject provider, String path, String arn, String type) {
        if (arn == null) {
            return null;
        }
        Arn parsed = Arn.parse(arn);
        if (parsed == null || !parsed.service().equals("iam") || !parsed.resource().startsWith(type)) {
            source.problem(provider.get("Arn"), path + ".Arn", "\"" + arn + "\" is not an IAM " + type + " ARN");
            return null;
        }
        if (!accounts.containsKey(parsed.account())) {
            source.problem(provider.get("Arn"), path + ".Arn", "account " + parsed.account()
                    + " is not in the directory");
            return null;
        }
        return parsed.account();
    }

    /** The JWKS as JSON text, checked to hold only public keys. */
    private static String jwksText(SourceFile source, JsonValue jwks, String path) {
        String text = jwks.scalarText() != null ? jwks.scalarText() : null;
        if (text == null) {
            JsonObject object = source.object(jwks, path);
            if (object == null) {
                return null;
            }
            text = JsonText.write(object);
        }
        try {
            JWKSet set = JWKSet.parse(text);
            if (set.getKeys().isEmpty()) {
                source.problem(jwks, path, "the key set holds no key");
                return null;
            }
            for (JWK key : set.getKeys()) {
                if (key.isPrivate()) {
                    source.problem(jwks, path, "key " + key.getKeyID() + " holds private key material; "
                            + "a directory holds only the issuer's public keys");
                    return null;
                }
            }
        } catch (ParseException e) {
            source.problem(jwks, path, "not a JSON Web Key Set: " + e.getMessage());
            return null;
        }
        return text;
    }

    private void resourcePolicies(SourceFile source, JsonObject root) {
        List<JsonValue> list = source.array(root, "ResourcePolicies", "");
        for (int i = 0; i < list.size(); i++) {
            String path = "ResourcePolicies[" + i + "]";
            JsonObject entry = source.object(list.get(i), path);
            if (entry == null) {
                continue;
            }
            String resourceArn = source.string(entry, "ResourceArn", path, true);
            String account = source.string(entry, "Account", path, false);
            JsonValue document = entry.get("Policy");
            if (resourceArn == null) {
                continue;
            }
            Arn arn = Arn.parse(resourceArn);
            if (arn == null) {
                source.problem(entry.get("ResourceArn"), path + ".ResourceArn", "\"" + resourceArn + "\" is not an ARN");
                continue;
            }
            if (account == null) {
                account = arn.account();
            }
            if (account.isEmpty()) {
                source.problem(entry, path, "\"Account\" is needed: the ARN " + resourceArn + " names no account");
                continue;
            }
            if (!arn.account().isEmpty() && !arn.account().equals(account)) {
                source.problem(entry.get("Account"), path + ".Account", "the ARN names account " + arn.account());
                continue;
            }
            // An entry without a policy only says who owns the resource (a bucket with no policy).
            Policy policy = document == null ? null : source.policy(document, path + ".Policy", resourceArn,
                    PolicyType.RESOURCE, PolicyQuota.NONE, true);
            boolean restrictPublicBuckets = publicAccessBlock(source, entry, path, arn, policy);
            if ((document == null || policy != null) && resourcePolicies.putIfAbsent(resourceArn,
                    new ResourcePolicy(resourceArn, account, policy, restrictPublicBuckets)) != null) {
                source.problem(entry, path, "resource " + resourceArn + " is listed twice");
            }
        }
    }

    /**
     * A bucket's {@code PublicAccessBlockConfiguration}, as {@code aws s3api get-public-access-block}
     * prints it: whether RestrictPublicBuckets is on. With BlockPublicPolicy on, S3 refuses to
     * store a public bucket policy, so such an entry is a problem.
     */
    private static boolean publicAccessBlock(SourceFile source, JsonObject entry, String path, Arn arn,
            Policy policy) {
        JsonValue value = entry.get("PublicAccessBlockConfiguration");
        if (value == null) {
            return false;
        }
        String blockPath = path + ".PublicAccessBlockConfiguration";
        JsonObject block = source.object(value, blockPath);
        if (block == null) {
            return false;
        }
        if (!arn.service().equals("s3") || arn.resource().contains("/")) {
            source.problem(value, blockPath, "Block Public Access is a setting of S3 buckets, and "
                    + arn + " is not a bucket");
            return false;
        }
        for (String name : List.of("BlockPublicAcls", "IgnorePublicAcls")) {
            source.bool(block, name, blockPath, false);
        }
        if (source.bool(block, "BlockPublicPolicy", blockPath, false) && policy != null
                && PublicBucketPolicy.isPublic(policy)) {
            source.problem(entry.get("Policy"), path + ".Policy", "the bucket policy is public, and BlockPublicPolicy "
                    + "is on: S3 refuses to store a public bucket policy");
        }
        return source.bool(block, "RestrictPublicBuckets", blockPath, false);
    }

    private void sessionKeys(SourceFile source, JsonObject root) {
        List<JsonValue> list = source.array(root, "SessionKeys", "");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "SessionKeys[" + i + "]";
            JsonObject entry = source.object(list.get(i), path);
            if (entry == null) {
                continue;
            }
            String id = source.string(entry, "KeyId", path, true);
            String secretText = source.string(entry, "Secret", path, true);
            Instant created = instant(source, entry, "CreateDate", path);
            byte[] secret = null;
            if (secretText != null) {
                try {
                    secret = Base64.getDecoder().decode(secretText);
                } catch (IllegalArgumentException e) {
                    source.problem(entry.get("Secret"), path + ".Secret", "must be base64");
                }
            }
            if (secret != null && secret.length != 32) {
                source.problem(entry.get("Secret"), path + ".Secret", "must be 32 random bytes, found " + secret.length);
                secret = null;
            }
            if (id != null && (id.isEmpty() || id.length() > 64 || !id.chars().allMatch(c -> c > 32 && c < 127))) {
                source.problem(entry.get("KeyId"), path + ".KeyId", "must be 1 to 64 printable ASCII characters");
                id = null;
            }
            if (id != null && !ids.add(id)) {
                source.problem(entry.get("KeyId"), path + ".KeyId", "key id " + id + " appears twice");
            } else if (id != null && secret != null && created != null) {
                sessionKeys.add(new SessionKey(id, secret, created));
            }
        }
    }

    /** An AWS timestamp: ISO 8601, or the dump's {@code 2023-03-09 10:41:45+00:00}. */
    static Instant instant(SourceFile source, JsonObject object, String name, String path) {
        String text = source.string(object, name, path, true);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            source.problem(object.get(name), path + "." + name, "\"" + text + "\" is not an ISO 8601 timestamp");
            return null;
        }
    }

    private static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
