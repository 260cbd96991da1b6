package dev.gavel.directory;

import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonValue;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyQuota;
import dev.gavel.policy.PolicyType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code organization.json}: the organization, its policies by name, and the tree from the
 * root through organizational units to accounts, each node naming the SCPs and RCPs attached.
 *
 * <pre>
 * {"Organization": {"Id": "o-a1b2c3d4e5", "ManagementAccountId": "999988887777"},
 *  "Policies": {"ServiceControlPolicies": {"FullAWSAccess": {...}}, "ResourceControlPolicies": {"EnforceTls": {...}}},
 *  "Root": {"Id": "r-ab12", "ServiceControlPolicies": ["FullAWSAccess"], "ResourceControlPolicies": [],
 *           "OrganizationalUnits": [{"Id": "ou-ab12-11111111", "Name": "Workloads", ..., "Accounts": [...]}],
 *           "Accounts": [{"Id": "999988887777", "Name": "management", "ServiceControlPolicies": [...]}]}}
 * </pre>
 */
final class OrganizationReader {

    private static final Pattern ORG_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Pattern ROOT_ID = Pattern.compile("r-[0-9a-z]{4,32}");
    private static final Pattern OU_ID = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    private final SourceFile source;
    private final Set<String> directoryAccounts;
    private final Map<String, Policy> scps = new HashMap<>();
    private final Map<String, Policy> rcps = new HashMap<>();
    private final Set<String> memberAccounts = new HashSet<>();

    OrganizationReader(SourceFile source, Set<String> directoryAccounts) {
        this.source = source;
        this.directoryAccounts = directoryAccounts;
    }

    Organization read(JsonObject root) {
        JsonValue orgValue = root.get("Organization");
        if (orgValue == null) {
            source.problem(root, "", "missing \"Organization\"");
            return null;
        }
        JsonObject org = source.object(orgValue, "Organization");
        if (org == null) {
            return null;
        }
        String id = source.string(org, "Id", "Organization", true);
        String management = source.string(org, "ManagementAccountId", "Organization", true);
        if (id != null && !ORG_ID.matcher(id).matches()) {
            source.problem(org.get("Id"), "Organization.Id", "an organization id is o- and 10 to 32 letters or digits");
        }
        JsonValue policiesValue = root.get("Policies");
        if (policiesValue != null) {
            JsonObject policies = source.object(policiesValue, "Policies");
            if (policies != null) {
                policies(policies, "ServiceControlPolicies", PolicyType.SCP, scps);
                policies(policies, "ResourceControlPolicies", PolicyType.RCP, rcps);
            }
        }
        JsonValue rootValue = root.get("Root");
        if (rootValue == null) {
            source.problem(root, "", "missing \"Root\"");
            return null;
        }
        JsonObject rootObject = source.object(rootValue, "Root");
        OrgUnit rootUnit = rootObject == null ? null : unit(rootObject, "Root", true);
        if (management != null && !memberAccounts.contains(management)) {
            source.problem(org.get("ManagementAccountId"), "Organization.ManagementAccountId",
                    "the management account " + management + " is not in the organization's tree");
        }
        if (id == null || management == null || rootUnit == null) {
            return null;
        }
        return new Organization(id, management, rootUnit, scps, rcps);
    }

    private void policies(JsonObject policies, String field, PolicyType type, Map<String, Policy> into) {
        JsonValue value = policies.get(field);
        if (value == null) {
            return;
        }
        JsonObject byName = source.object(value, "Policies." + field);
        if (byName == null) {
            return;
        }
        for (JsonObject.Member member : byName.members()) {
            String path = "Policies." + field + "." + member.name();
            Policy policy = source.policy(member.value(), path, member.name(), type, PolicyQuota.ORGANIZATIONS, true);
            if (policy != null && into.putIfAbsent(member.name(), policy) != null) {
                source.problem(member.namePosition(), path, "policy " + member.name() + " is defined twice");
            }
        }
    }

    private OrgUnit unit(JsonObject object, String path, boolean isRoot) {
        String id = source.string(object, "Id", path, true);
        String name = source.string(object, "Name", path, false);
        if (id != null && !(isRoot ? ROOT_ID : OU_ID).matcher(id).matches()) {
            source.problem(object.get("Id"), path + ".Id", isRoot ? "a root id is r- and 4 to 32 letters or digits"
                    : "an organizational unit id is ou-, the root's suffix, - and 8 to 32 letters or digits");
        }
        List<String> scpNames = names(object, "ServiceControlPolicies", path, scps);
        requireScp(object, path, scpNames);
        List<String> rcpNames = names(object, "ResourceControlPolicies", path, rcps);
        List<OrgUnit> units = new ArrayList<>();
        List<JsonValue> unitList = source.array(object, "OrganizationalUnits", path);
        for (int i = 0; i < unitList.size(); i++) {
            String unitPath = path + ".OrganizationalUnits[" + i + "]";
            JsonObject child = source.object(unitList.get(i), unitPath);
            OrgUnit unit = child == null ? null : unit(child, unitPath, false);
            if (unit != null) {
                units.add(unit);
            }
        }
        List<OrgAccount> accounts = new ArrayList<>();
        List<JsonValue> accountList = source.array(object, "Accounts", path);
        for (int i = 0; i < accountList.size(); i++) {
            String accountPath = path + ".Accounts[" + i + "]";
            JsonObject account = source.object(accountList.get(i), accountPath);
            if (account == null) {
                continue;
            }
            String accountId = source.string(account, "Id", accountPath, true);
            if (accountId == null) {
                continue;
            }
            if (!ACCOUNT_ID.matcher(accountId).matches()) {
                source.problem(account.get("Id"), accountPath + ".Id", "an account id has 12 digits");
                continue;
            }
            if (!memberAccounts.add(accountId)) {
                source.problem(account.get("Id"), accountPath + ".Id", "account " + accountId
                        + " appears twice in the organization");
                continue;
            }
            if (!directoryAccounts.contains(accountId)) {
                source.problem(account.get("Id"), accountPath + ".Id", "account " + accountId
                        + " has no accounts/" + accountId + ".json in the directory");
            }
            List<String> accountScps = names(account, "ServiceControlPolicies", accountPath, scps);
            requireScp(account, accountPath, accountScps);
            accounts.add(new OrgAccount(accountId, source.string(account, "Name", accountPath, false), accountScps,
                    names(account, "ResourceControlPolicies", accountPath, rcps)));
        }
        return id == null ? null : new OrgUnit(id, name, scpNames, rcpNames, units, accounts);
    }

    /** AWS keeps at least one SCP on every root, unit and account while SCPs are enabled. */
    private void requireScp(JsonObject object, String path, List<String> names) {
        if (!scps.isEmpty() && names.isEmpty()) {
            source.problem(object, path, "needs at least one service control policy (such as FullAWSAccess): "
                    + "with none attached, nothing below it is allowed");
        }
    }

    private List<String> names(JsonObject object, String field, String path, Map<String, Policy> known) {
        List<String> names = source.strings(object, field, path);
        for (int i = 0; i < names.size(); i++) {
            if (!known.containsKey(names.get(i))) {
                source.problem(object.get(field), path + "." + field + "[" + i + "]", "no policy named \""
                        + names.get(i) + "\" under Policies." + field);
            }
        }
        return names;
    }
}
