package dev.gavel.compile;

import dev.gavel.eval.ReservedResources;
import dev.gavel.eval.TrustActions;
import java.util.Locale;

/** What the evaluation logic needs to know of an action, worked out once per action. */
record ActionInfo(boolean alwaysAllowed, boolean trust, boolean kms, boolean managedPolicy, boolean protectedRole,
        boolean identityCenterRole, boolean awsAlias) {

    static ActionInfo of(String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        return new ActionInfo(lower.equals("sts:getcalleridentity"), TrustActions.contains(lower),
                lower.startsWith("kms:"), ReservedResources.MANAGED_POLICY_ACTIONS.contains(lower),
                ReservedResources.PROTECTED_ROLE_ACTIONS.contains(lower),
                ReservedResources.IDENTITY_CENTER_ROLE_ACTIONS.contains(lower),
                ReservedResources.AWS_ALIAS_ACTIONS.contains(lower));
    }
}
