package dev.gavel.eval;

import java.util.Locale;
import java.util.Set;

/**
 * The STS actions a role's trust policy governs: assuming the role in every way, and the
 * permissions checked along with it (tagging the session, setting its source identity or context).
 */
public final class TrustActions {

    private static final Set<String> ACTIONS = Set.of("sts:assumerole", "sts:assumerolewithwebidentity",
            "sts:assumerolewithsaml", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext");

    private TrustActions() {}

    /** Whether the action, in any case, is decided with the role's trust policy as its resource policy. */
    public static boolean contains(String action) {
        return ACTIONS.contains(action.toLowerCase(Locale.ROOT));
    }
}
