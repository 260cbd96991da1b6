package dev.gavel.directory;

import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonValue;
import dev.gavel.match.Arn;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one account from the output of {@code aws iam get-account-authorization-details}, as the
 * AWS CLI prints it: users, groups, roles and managed policies, with documents as JSON objects
 * or URL-encoded strings, lists that AWS leaves out when empty, and ids taken as opaque text.
 * {@code MaxSessionDuration} on a role, which the dump does not carry, is read when present.
 */
final class AuthorizationDetailsReader {

    private final SourceFile source;
    private final String accountId;
    private final Map<String, ManagedPolicy> policies = new HashMap<>();
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Role> roles = new HashMap<>();

    /** Where a reference to another entity was made, to check once everything is read. */
    private record Reference(JsonValue at, String path, String kind, String target) {}

    private final List<Reference> references = new ArrayList<>();

    AuthorizationDetailsReader(SourceFile source, String accountId) {
        this.source = source;
        this.accountId = accountId;
    }

    Account read(JsonObject root) {
        List<JsonValue> policyList = source.array(root, "Policies", "");
        for (int i = 0; i < policyList.size(); i++) {
            managedPolicy(policyList.get(i), "Policies[" + i + "]");
        }
        List<JsonValue> groupList = source.array(root, "GroupDetailList", "");
        for (int i = 0; i < groupList.size(); i++) {
            group(groupList.get(i), "GroupDetailList[" + i + "]");
        }
        List<JsonValue> userList = source.array(root, "UserDetailList", "");
        for (int i = 0; i < userList.size(); i++) {
            user(userList.get(i), "UserDetailList[" + i + "]");
        }
        List<JsonValue> roleList = source.array(root, "RoleDetailList", "");
        for (int i = 0; i < roleList.size(); i++) {
            role(roleList.get(i), "RoleDetailList[" + i + "]");
        }
        for (Reference reference : references) {
            boolean found = reference.kind().equals("group") ? groups.containsKey(Account.key(reference.target()))
                    : policies.containsKey(reference.target());
            if (!found) {
                source.problem(reference.at(), reference.path(), "refers to " + reference.kind() + " \""
                        + reference.target() + "\", which the account's file does not hold");
            }
        }
        return new Account(accountId, users, groups, roles, policies);
    }

    private void managedPolicy(JsonValue value, String path) {
        JsonObject object = source.object(value, path);
        if (object == null) {
            return;
        }
        String name = source.string(object, "PolicyName", path, true);
        String arn = source.string(object, "Arn", path, true);
        String policyPath = orDefault(source.string(object, "Path", path, false), "/");
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
        Policy policy = source.policy(document, documentPath, arn, PolicyType.IDENTITY, PolicyQuota.MANAGED,
                !awsManaged);
        if (policy != null && policies.putIfAbsent(arn, new ManagedPolicy(arn, name, policyPath, id, policy)) != null) {
            source.problem(object, path, "managed policy " + arn + " appears twice");
        }
    }

    private void group(JsonValue value, String path) {
        JsonObject object = source.object(value, path);
        if (object == null) {
            return;
        }
        String name = source.string(object, "GroupName", path, true);
        String arn = source.string(object, "Arn", path, true);
        String groupPath = orDefault(source.string(object, "Path", path, false), "/");
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
        String userPath = orDefault(source.string(object, "Path", path, false), "/");
        String id = source.string(object, "UserId", path, false);
        if (name == null || arn == null) {
            return;
        }
        checkArn(object, path, arn, "user", userPath, name);
        List<String> groupNames = source.strings(object, "GroupList", path);
        for (int i = 0; i < groupNames.size(); i++) {
            references.add(new Reference(object.get("GroupList"), path + ".GroupList[" + i + "]", "group",
                    groupNames.get(i)));
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
        String rolePath = orDefault(source.string(object, "Path", path, false), "/");
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
            trust = source.policy(trustValue, path + ".AssumeRolePolicyDocument", "role " + name + " trust policy",
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
            Policy policy = source.policy(document, itemPath + ".PolicyDocument", owner + " inline policy " + name,
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
            String arn = item == null ? null : source.string(item, "PolicyArn", itemPath, true);
            if (arn != null) {
                arns.add(arn);
                references.add(new Reference(item, itemPath, "managed policy", arn));
            }
        }
        return arns;
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
            references.add(new Reference(boundary, path + ".PermissionsBoundary", "managed policy", arn));
        }
        return arn;
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
        return tags;
    }

    private void checkArn(JsonObject object, String path, String arn, String type, String entityPath, String name) {
        Arn parsed = Arn.parse(arn);
        if (parsed == null || !parsed.service().equals("iam")) {
            source.problem(object.get("Arn"), path + ".Arn", "\"" + arn + "\" is not an IAM ARN");
        } else if (!parsed.account().equals(accountId)) {
            source.problem(object.get("Arn"), path + ".Arn", "\"" + arn + "\" belongs to account " + parsed.account()
                    + ", not to this file's account " + accountId);
        } else if (!parsed.resource().equals(type + entityPath + name)) {
            source.problem(object.get("Arn"), path + ".Arn", "\"" + arn + "\" does not match the " + type
                    + "'s path \"" + entityPath + "\" and name \"" + name + "\"");
        }
    }

    private static String scalar(JsonValue value) {
        return value == null ? null : value.scalarText();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
