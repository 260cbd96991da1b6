package dev.gavel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Resources that AWS reserves for itself and refuses to change whatever the caller's policies
 * say: AWS managed policies, service-linked roles and the roles IAM Identity Center creates, and
 * the {@code alias/aws/} KMS aliases of AWS managed keys.
 *
 * <p>The rules, each from its AWS page:
 * <ul>
 *   <li>"AWS managed policies": their permissions cannot be changed, so no one creates, versions,
 *       deletes or tags one (TagPolicy and UntagPolicy are for customer managed policies).
 *   <li>"Using service-linked roles" and the IAM API's {@code UnmodifiableEntity} error: a
 *       service-linked role ({@code /aws-service-role/}) can have neither its trust policy, its
 *       policies nor its boundary changed, and is deleted only through
 *       {@code iam:DeleteServiceLinkedRole}. Its description can be edited ("Update a
 *       service-linked role": "you can edit the description of any role"), it can be tagged
 *       (TagRole: "a regular role or a service-linked role") and passed to its service (some
 *       services require {@code iam:PassRole} for it), so those actions stay with the policies.
 *   <li>IAM Identity Center's roles ({@code /aws-reserved/}) are managed by Identity Center from
 *       permission sets, and IAM refuses every change to them ("Cannot perform the operation on
 *       the protected role ... this role is only modifiable by AWS"): the changes above, and
 *       also creating one, tags, description and passing the role to a service.
 *   <li>AWS itself changes these roles through service-linked roles, which these rules do not
 *       stop.
 *   <li>"Aliases in AWS KMS": {@code alias/aws/} is reserved for AWS managed keys; no one creates,
 *       updates or deletes such an alias.
 * </ul>
 */
public final class ReservedResources {

    /** The actions refused on AWS managed policies, in lower case. */
    public static final Set<String> MANAGED_POLICY_ACTIONS = Set.of("iam:createpolicy", "iam:createpolicyversion",
            "iam:deletepolicy", "iam:deletepolicyversion", "iam:setdefaultpolicyversion", "iam:tagpolicy",
            "iam:untagpolicy");
    /** The actions refused on service-linked roles and Identity Center roles, in lower case. */
    public static final Set<String> PROTECTED_ROLE_ACTIONS = Set.of("iam:updateassumerolepolicy",
            "iam:attachrolepolicy", "iam:detachrolepolicy", "iam:putrolepolicy", "iam:deleterolepolicy",
            "iam:putrolepermissionsboundary", "iam:deleterolepermissionsboundary", "iam:deleterole");
    /** The actions refused on Identity Center roles only, in lower case. */
    public static final Set<String> IDENTITY_CENTER_ROLE_ACTIONS = Set.of("iam:tagrole", "iam:untagrole",
            "iam:updaterole", "iam:updateroledescription", "iam:passrole", "iam:createrole",
            "iam:createservicelinkedrole", "iam:deleteservicelinkedrole");
    /** The actions refused on {@code alias/aws/} KMS aliases, in lower case. */
    public static final Set<String> AWS_ALIAS_ACTIONS = Set.of("kms:createalias", "kms:updatealias",
            "kms:deletealias");

    /** Every action this class refuses on some reserved resource, in lower case. */
    static final List<Set<String>> ACTION_SETS = List.of(MANAGED_POLICY_ACTIONS, PROTECTED_ROLE_ACTIONS,
            IDENTITY_CENTER_ROLE_ACTIONS, AWS_ALIAS_ACTIONS);

    private ReservedResources() {}

    /**
     * Why AWS refuses this action on this resource whatever the policies say, or null when it
     * does not.
     *
     * @param callerIsServiceLinked whether the caller is a session of a service-linked role: AWS
     *     services manage the roles they own through those
     */
    public static String refusal(String action, String resource, boolean callerIsServiceLinked) {
        // Only IAM and KMS reserve resources: every other request leaves here without splitting its ARN.
        int partition = resource.indexOf(':') + 1;
        int serviceAt = partition == 0 ? 0 : resource.indexOf(':', partition) + 1;
        if (serviceAt == 0 || !resource.startsWith("iam:", serviceAt) && !resource.startsWith("kms:", serviceAt)) {
            return null;
        }
        String lower = action.toLowerCase(Locale.ROOT);
        String[] arn = resource.split(":", 6);
        if (arn.length != 6 || !arn[0].equals("arn")) {
            return null;
        }
        String service = arn[2];
        String account = arn[4];
        String name = arn[5];
        if (service.equals("iam") && account.equals("aws") && name.startsWith("policy/")
                && MANAGED_POLICY_ACTIONS.contains(lower)) {
            return resource + " is an AWS managed policy, which only AWS can create, change, version, tag or delete"
                    + " (IAM: AWS managed policies)";
        }
        if (service.equals("iam") && !callerIsServiceLinked) {
            if (name.startsWith("role/aws-service-role/") && PROTECTED_ROLE_ACTIONS.contains(lower)) {
                return resource + " is a service-linked role: only its service may change its trust policy,"
                        + " policies or boundary, and it is deleted only through iam:DeleteServiceLinkedRole"
                        + " (IAM: Using service-linked roles)";
            }
            if (name.startsWith("role/aws-reserved/")
                    && (PROTECTED_ROLE_ACTIONS.contains(lower) || IDENTITY_CENTER_ROLE_ACTIONS.contains(lower))) {
                return resource + " is a role that AWS reserves for its own service (IAM Identity Center's"
                        + " permission sets): only AWS may create, change, tag, pass or delete it (IAM: UnmodifiableEntity)";
            }
        }
        if (service.equals("kms") && name.startsWith("alias/aws/") && AWS_ALIAS_ACTIONS.contains(lower)) {
            return "the alias prefix alias/aws/ is reserved for AWS managed keys: no one creates, updates or deletes"
                    + " such an alias (AWS KMS: Aliases in AWS KMS)";
        }
        return null;
    }

    /**
     * The resource patterns on which AWS refuses the action whatever the policies say, for a
     * caller that is not a service-linked role's session: what an answer about a pattern such as
     * {@code *} must take away.
     */
    public static List<String> refusedPatterns(String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        List<String> patterns = new ArrayList<>();
        if (MANAGED_POLICY_ACTIONS.contains(lower)) {
            patterns.add("arn:aws:iam::aws:policy/*");
        }
        if (PROTECTED_ROLE_ACTIONS.contains(lower)) {
            patterns.add("arn:aws:iam::*:role/aws-service-role/*");
        }
        if (PROTECTED_ROLE_ACTIONS.contains(lower) || IDENTITY_CENTER_ROLE_ACTIONS.contains(lower)) {
            patterns.add("arn:aws:iam::*:role/aws-reserved/*");
        }
        if (AWS_ALIAS_ACTIONS.contains(lower)) {
            patterns.add("arn:aws:kms:*:*:alias/aws/*");
        }
        return patterns;
    }
}
