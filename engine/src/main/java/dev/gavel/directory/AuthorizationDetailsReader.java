package dev.gavel.directory;

import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonStream;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.json.Position;
import dev.gavel.match.Arn;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one account from the output of {@code aws iam get-account-authorization-details}, as the
 * AWS CLI prints it: users, groups, roles and managed policies, with documents as JSON objects
 * or URL-encoded strings, lists that AWS leaves out when empty, and ids taken as opaque text.
 * {@code MaxSessionDuration} on a role, which the dump does not carry, is read when present.
 *
 * <p>The file is read as a stream, one entity (user, group, role, managed policy) at a time: the
 * entity's JSON tree and text live only while it is read, so that a dump of hundreds of thousands
 * of principals loads in a heap little larger than the account it builds. References from one
 * entity to another (a user's groups, attached policies, boundaries) are checked once the whole
 * file is read, because the dump lists policies last. Equal values are shared ({@link Interner}).
 *
 * <p>The account id is the file's name in a directory folder ({@code accounts/ACCOUNT_ID.json});
 * a dump read on its own takes it from the first IAM ARN it holds, and every other ARN must agree.
 */
final class AuthorizationDetailsReader {

    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    /** The lists of a dump, read entity by entity; anything else in the file is skipped. */
    private static final List<String> LISTS = List.of("UserDetailList", "GroupDetailList", "RoleDetailList",
            "Policies");
    private static final int USERS = 0;
    private static final int GROUPS = 1;
    private static final int ROLES = 2;
    private static final int POLICIES = 3;

    private final String file;
    private final List<LoadProblem> problems;
    private final Interner interner;
    /** Whether the account id is the file's name; otherwise the dump's ARNs give it. */
    private final boolean namedByFile;
    private String accountId;
    /** Where the account id was read from an ARN, when the file does not name it. */
    private Position accountAt;
    private final Map<String, ManagedPolicy> policies = new HashMap<>();
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Role> roles = new HashMap<>();

    /** The entity being read: its text, and its place in the file. */
    private SourceFile source;
    private int list;
    private int entity;

    /**
     * Where a reference to a group or managed policy was made, to check once the whole file is
     * read: its position, and the list, entity and item that make its JSON path, built only if
     * the reference fails (a large account holds hundreds of thousands of references).
     *
     * @param item the index in {@code field}'s array, or -1 for an object field
     */
    private record Reference(int line, int column, int list, int entity, String field, int item, String target) {

        String path() {
            return LISTS.get(list) + "[" + entity + "]." + field + (item >= 0 ? "[" + item + "]" : "");
        }

        String kind() {
            return field.equals("GroupList") ? "group" : "managed policy";
        }
    }

    private final List<Reference> references = new ArrayList<>();

    private AuthorizationDetailsReader(String file, String accountId, List<LoadProblem> problems,
            Interner interner) {
        this.file = file;
        this.accountId = accountId;
        this.namedByFile = accountId != null;
        this.problems = problems;
        this.interner = interner;
    }

    /** A reader of {@code accounts/ACCOUNT_ID.json}, whose name gives the account id. */
    static AuthorizationDetailsReader ofAccountFile(String file, String accountId, List<LoadProblem> problems,
            Interner interner) {
        return new AuthorizationDetailsReader(file, accountId, problems, interner);
    }

    /** A reader of a dump on its own, whose ARNs give the account id. */
    static AuthorizationDetailsReader ofDump(String file, List<LoadProblem> problems, Interner interner) {
        return new AuthorizationDetailsReader(file, null, problems, interner);
    }

    /**
     * Reads the dump, recording its problems; the account, or null when the file is not an
     * object or names no account. A syntax error or a read failure is thrown, and then the
     * problems recorded so far mean nothing.
     */
    Account read(JsonStream json) throws JsonSyntaxException, IOException {
        Position rootAt;
        if (json.begin() != JsonStream.Token.START_OBJECT) {
            rootAt = json.position();
            String type = json.typeName();
            json.skipValue();
            json.end();
            problems.add(new LoadProblem(file, rootAt.line(), rootAt.column(), "", "must be an object, found " + type));
            return null;
        }
        rootAt = json.position();
        Set<String> seen = new HashSet<>();
        while (json.next() == JsonStream.Token.NAME) {
            String name = json.name();
            json.next();
            list = LISTS.indexOf(name);
            // Like a JSON tree's lookup, only a list's first occurrence counts.
            if (list < 0 || !seen.add(name)) {
                json.skipValue();
            } else if (json.token() == JsonStream.Token.START_ARRAY) {
                for (entity = 0; json.next() != JsonStream.Token.END_ARRAY; entity++) {
                    JsonStream.Captured captured = json.readValue();
                    source = new SourceFile(file, captured.text(), problems);
                    String path = name + "[" + entity + "]";
                    switch (list) {
                        case USERS -> user(captured.value(), path);
                        case GROUPS -> group(captured.value(), path);
                        case ROLES -> role(captured.value(), path);
                        case POLICIES -> managedPolicy(captured.value(), path);
                        default -> throw new IllegalStateException("no list " + list);
                    }
                }
            } else if (json.token() != JsonStream.Token.SCALAR || !json.typeName().equals("null")) {
                // A null list reads as an absent one, which is how AWS prints an empty list.
                Position at = json.position();
                problems.add(new LoadProblem(file, at.line(), at.column(), name, "must be an array, found "
                        + json.typeName()));
                json.skipValue();
            }
        }
        json.end();
        source = null;
        for (Reference reference : references) {
            boolean found = reference.kind().equals("group") ? groups.containsKey(Account.key(reference.target()))
                    : policies.containsKey(reference.target());
            if (!found) {
                problems.add(new LoadProblem(file, reference.line(), reference.column(), reference.path(),
                        "refers to " + reference.kind() + " \"" + reference.target()
                        + "\", which the account's file does not hold"));
            }
        }
        if (accountId == null) {
            problems.add(new LoadProblem(file, rootAt.line(), rootAt.column(), "", "the dump names no account: "
                    + "it holds no user, group, role or customer managed policy whose ARN gives the account id "
                    + "(is it the output of aws iam get-account-authorization-details?)"));
            return null;
        }
        return new Account(accountId, users, groups, roles, policies);
    }

    private void reference(JsonValue at, String field, int item, String target) {
        Position position = at == null ? new Position(1, 1, 0) : at.start();
        references.add(new Reference(position.line(), position.column(), list, entity, field, item, target));
    }

    private void managedPolicy(JsonValue value, String path) {
        JsonObject object = source.object(value, path);
        if (object == null) {
            return;
        }
        String name = source.string(object, "PolicyName", path, true);
        String arn = interner.string(source.string(object, "Arn", path, true));
        String policyPath = interner.string(orDefault(source.string(object, "Path", path, false), "/"));
        String id = source.string(object, "PolicyId", path, false);
        String defaultVersion = source.string(object, "DefaultVersionId", path, false);
        if (name == null || arn == null) {
            return;
        }
        boolean awsManaged = arn.contains(":iam::aws:policy/");
        if (!awsManaged) {
            checkArn(object, path, arn, "policy", policyPath, name);
        }
        JsonValue document = null;
        String documentPath = null;
        List<JsonValue> versions = source.array(object, "PolicyVersionList", path);
        for (int i = 0; i < versions.size(); i++) {
            JsonObject version = source.object(versions.get(i), path + ".PolicyVersionList[" + i + "]");
            if (version == null) {
                continue;
            }
            String versionPath = path + ".PolicyVersionList[" + i + "]";
            boolean isDefault = "true".equals(scalar(version.get("IsDefaultVersion")))
                    || defaultVersion != null && defaultVersion.equals(scalar(version.get("VersionId")));
            if (isDefault && document == null) {
                document = version.get("Document");
                documentPath = versionPath + ".Document";
            }
        }
        if (document == null) {
            source.problem(object, path, "managed policy " + name + " has no default version document");
            return;
        }
        Policy policy = source.policy(interner.json(document), documentPath, arn, PolicyType.IDENTITY,
                PolicyQuota.MANAGED, !awsManaged);
        if (policy != null && policies.putIfAbsent(arn, new ManagedPolicy(arn, name, policyPath, id, policy)) != null) {
            source.problem(object, path, "managed policy " + arn + " appears twice");
        }
    }

    private void group(JsonValue value, String path) {
        JsonObject object = source.object(value, path);
        if (object == null) {
            return;
        }
        String name = interner.string(source.string(object, "GroupName", path, true));
        String arn = source.string(object, "Arn", path, true);
        String groupPath = interner.string(orDefault(source.string(object, "Path", path, false), "/"));
        String id = source.string(object, "GroupId", path, false);
        if (name == null || arn == null) {
            return;
        }
        checkArn(object, path, arn, "group", groupPath, name);
        List<InlinePolicy> inline = inlinePolicies(object, "GroupPolicyList", path, "group " + name,
                PolicyQuota.GROUP_INLINE);
        List<String> attached = attached(object, path);
        if (groups.putIfAbsent(Account.key(name), new Group(accountId, name, groupPath, id, arn, inline, attached))
                != null) {
            source.problem(object, path, "group " + name + " appears twice (names ignore case)");
        }
    }

    private void user(JsonValue value, String path) {
        JsonObject object = source.object(value, path);
        if (object == null) {
            return;
        }
        String name = source.string(object, "UserName", path, true);
        String arn = source.string(object, "Arn", path, true);
        String userPath = interner.string(orDefault(source.string(object, "Path", path, false), "/"));
        String id = source.string(object, "UserId", path, false);
        if (name == null || arn == null) {
            return;
        }
        checkArn(object, path, arn, "user", userPath, name);
        List<String> groupNames = interner.strings(source.strings(object, "GroupList", path));
        for (int i = 0; i < groupNames.size(); i++) {
            reference(object.get("GroupList"), "GroupList", i, groupNames.get(i));
        }
        List<InlinePolicy> inline = inlinePolicies(object, "UserPolicyList", path, "user " + name,
                PolicyQuota.USER_INLINE);
        User user = new User(accountId, name, userPath, id, arn, groupNames, inline, attached(object, path),
                boundary(object, path), tags(object, path));
        if (users.putIfAbsent(Account.key(name), user) != null) {
            source.problem(object, path, "user " + name + " appears twice (names ignore case)");
        }
    }

    private void role(JsonValue value, String path) {
        JsonObject object = source.object(value, path);
        if (object == null) {
            return;
        }
        String name = source.string(object, "RoleName", path, true);
        String arn = source.string(object, "Arn", path, true);
        String rolePath = interner.string(orDefault(source.string(object, "Path", path, false), "/"));
        String id = source.string(object, "RoleId", path, false);
        if (name == null || arn == null) {
            return;
        }
        checkArn(object, path, arn, "role", rolePath, name);
        JsonValue trustValue = object.get("AssumeRolePolicyDocument");
        Policy trust = null;
        if (trustValue == null) {
            source.problem(object, path, "role " + name + " has no AssumeRolePolicyDocument");
        } else {
            trust = source.policy(interner.json(trustValue), path + ".AssumeRolePolicyDocument", "role " + name + " trust policy",
                    PolicyType.TRUST, PolicyQuota.TRUST, true);
        }
        int maxSession = source.integer(object, "MaxSessionDuration", path, Role.DEFAULT_MAX_SESSION_DURATION);
        if (maxSession < 3_600 || maxSession > 43_200) {
            source.problem(object.get("MaxSessionDuration"), path + ".MaxSessionDuration",
                    "must be between 3600 and 43200 seconds, found " + maxSession);
        }
        List<InlinePolicy> inline = inlinePolicies(object, "RolePolicyList", path, "role " + name,
                PolicyQuota.ROLE_INLINE);
        Role role = new Role(accountId, name, rolePath, id, arn, trust, inline, attached(object, path),
                boundary(object, path), maxSession, tags(object, path));
        if (roles.putIfAbsent(Account.key(name), role) != null) {
            source.problem(object, path, "role " + name + " appears twice (names ignore case)");
        }
    }

    /** Inline policies, each validated, and together held to the entity's aggregate quota. */
    private List<InlinePolicy> inlinePolicies(JsonObject object, String field, String path, String owner,
            PolicyQuota quota) {
        List<InlinePolicy> inline = new ArrayList<>();
        List<JsonValue> list = source.array(object, field, path);
        int total = 0;
        for (int i = 0; i < list.size(); i++) {
            String itemPath = path + "." + field + "[" + i + "]";
            JsonObject item = source.object(list.get(i), itemPath);
            if (item == null) {
                continue;
            }
            String name = source.string(item, "PolicyName", itemPath, true);
            JsonValue document = item.get("PolicyDocument");
            if (document == null) {
                source.problem(item, itemPath, "missing \"PolicyDocument\"");
                continue;
            }
            Policy policy = source.policy(interner.json(document), itemPath + ".PolicyDocument",
                    owner + " inline policy " + name,
                    PolicyType.IDENTITY, PolicyQuota.NONE, true);
            if (policy != null && name != null) {
                inline.add(new InlinePolicy(name, policy));
                total += Math.max(policy.compactLength(), 0);
            }
        }
        if (total > quota.maxCharacters()) {
            source.problem(object, path, "the inline policies of " + owner + " total " + total
                    + " characters other than whitespace, over the " + quota.cliName() + " quota of "
                    + quota.maxCharacters());
        }
        return inline;
    }

    private List<String> attached(JsonObject object, String path) {
        List<String> arns = new ArrayList<>();
        List<JsonValue> list = source.array(object, "AttachedManagedPolicies", path);
        for (int i = 0; i < list.size(); i++) {
            String itemPath = path + ".AttachedManagedPolicies[" + i + "]";
            JsonObject item = source.object(list.get(i), itemPath);
            String arn = item == null ? null : interner.string(source.string(item, "PolicyArn", itemPath, true));
            if (arn != null) {
                arns.add(arn);
                reference(item, "AttachedManagedPolicies", i, arn);
            }
        }
        return interner.strings(arns);
    }

    private String boundary(JsonObject object, String path) {
        JsonValue value = object.get("PermissionsBoundary");
        if (value == null) {
            return null;
        }
        JsonObject boundary = source.object(value, path + ".PermissionsBoundary");
        String arn = boundary == null ? null
                : source.string(boundary, "PermissionsBoundaryArn", path + ".PermissionsBoundary", true);
        if (arn != null) {
            reference(boundary, "PermissionsBoundary", -1, arn);
        }
        return interner.string(arn);
    }

    private List<Tag> tags(JsonObject object, String path) {
        List<Tag> tags = new ArrayList<>();
        List<JsonValue> list = source.array(object, "Tags", path);
        for (int i = 0; i < list.size(); i++) {
            String itemPath = path + ".Tags[" + i + "]";
            JsonObject item = source.object(list.get(i), itemPath);
            if (item == null) {
                continue;
            }
            String key = source.string(item, "Key", itemPath, true);
            String value = orDefault(source.string(item, "Value", itemPath, false), "");
            if (key != null) {
                tags.add(new Tag(key, value));
            }
        }
        return interner.tags(tags);
    }

    private void checkArn(JsonObject object, String path, String arn, String type, String entityPath, String name) {
        Arn parsed = Arn.parse(arn);
        if (parsed != null && parsed.service().equals("iam") && accountId == null) {
            learnAccount(object.get("Arn"), path + ".Arn", arn, parsed.account());
        }
        if (parsed == null || !parsed.service().equals("iam")) {
            source.problem(object.get("Arn"), path + ".Arn", "\"" + arn + "\" is not an IAM ARN");
        } else if (accountId == null) {
            return;
        } else if (!parsed.account().equals(accountId)) {
            source.problem(object.get("Arn"), path + ".Arn", "\"" + arn + "\" belongs to account " + parsed.account()
                    + (namedByFile ? ", not to this file's account " + accountId
                    : ", but the dump's first ARN, at " + accountAt + ", belongs to account " + accountId
                    + ": a dump holds one account"));
        } else if (!parsed.resource().equals(type + entityPath + name)) {
            source.problem(object.get("Arn"), path + ".Arn", "\"" + arn + "\" does not match the " + type
                    + "'s path \"" + entityPath + "\" and name \"" + name + "\"");
        }
    }

    /** A dump read on its own belongs to the account of its first IAM ARN, if that is an account id. */
    private void learnAccount(JsonValue at, String path, String arn, String account) {
        if (ACCOUNT_ID.matcher(account).matches()) {
            accountId = account;
            accountAt = at.start();
        } else {
            source.problem(at, path, "\"" + arn + "\" names account \"" + account
                    + "\", which is not a 12-digit account id");
        }
    }

    private static String scalar(JsonValue value) {
        return value == null ? null : value.scalarText();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
