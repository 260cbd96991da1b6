package dev.gavel.analysis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gavel.match.Wildcard;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.ServiceCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The actions an {@code Action} or {@code NotAction} element covers, from the service catalog: a
 * wildcard pattern becomes the catalog's actions it matches, a NotAction every catalog action it
 * does not name. A pattern the catalog cannot expand (a service it does not hold) is kept as
 * written, and so is every pattern without a catalog; a NotAction without one covers nothing that
 * can be listed. Expansions are kept per element (a managed policy's are shared by every principal
 * it is attached to), in a bounded cache. Thread-safe.
 */
final class ActionExpansion {

    /** An element's actions, and its patterns that could not be expanded. */
    record Expanded(List<String> actions, List<String> unexpanded) {}

    private final ServiceCatalog catalog;
    private final List<String> everyAction;
    /** By element identity: a directory's documents are interned, so equal elements are mostly one object. */
    private final Cache<PatternElement, Expanded> cache = Caffeine.newBuilder().weakKeys().maximumSize(200_000)
            .executor(Runnable::run).build();

    ActionExpansion(ServiceCatalog catalog) {
        this.catalog = catalog;
        this.everyAction = catalog == null ? List.of() : catalog.actions();
    }

    /** Whether there is a catalog to expand patterns with. */
    boolean hasCatalog() {
        return catalog != null;
    }

    Expanded expand(PatternElement element) {
        return cache.get(element, this::compute);
    }

    private Expanded compute(PatternElement element) {
        List<String> unexpanded = new ArrayList<>();
        if (element.negated()) {
            if (catalog == null) {
                return new Expanded(List.of(), List.of("NotAction"));
            }
            List<String> actions = new ArrayList<>();
            for (String action : everyAction) {
                if (!named(element, action)) {
                    actions.add(action);
                }
            }
            return new Expanded(List.copyOf(actions), List.of());
        }
        List<String> actions = new ArrayList<>();
        for (PolicyString written : element.patterns()) {
            String pattern = written.value();
            if (pattern.equals("*") && catalog != null) {
                return new Expanded(everyAction, List.of());
            }
            int colon = pattern.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String service = pattern.substring(0, colon).toLowerCase(Locale.ROOT);
            if (catalog != null && !Wildcard.hasWildcard(service) && catalog.hasService(service)) {
                for (String name : catalog.matchingActions(service, pattern.substring(colon + 1))) {
                    actions.add(service + ":" + name);
                }
            } else if (catalog != null && Wildcard.hasWildcard(service)) {
                for (String action : everyAction) {
                    if (Wildcard.matches(pattern, action, true)) {
                        actions.add(action);
                    }
                }
            } else {
                actions.add(pattern);
                if (Wildcard.hasWildcard(pattern) || catalog != null) {
                    unexpanded.add(pattern);
                }
            }
        }
        return new Expanded(List.copyOf(actions), List.copyOf(unexpanded));
    }

    private static boolean named(PatternElement element, String action) {
        for (PolicyString pattern : element.patterns()) {
            if (Wildcard.matches(pattern.value(), action, true)) {
                return true;
            }
        }
        return false;
    }
}
