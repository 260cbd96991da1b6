package dev.gavel.analysis;

import dev.gavel.CheckContext;
import dev.gavel.Engine;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.RequestException;
import dev.gavel.eval.RequestContext;

/** What the analysis questions share: turning a question's request facts into a check context. */
final class Questions {

    private Questions() {}

    /**
     * A check context holding the question's facts.
     *
     * @throws RequestException naming a key Gavel fills itself (from the principal, the resource's
     *     account or the clock), which a question cannot supply
     */
    static CheckContext checkContext(Engine engine, RequestContext facts) throws RequestException {
        CheckContext check = engine.newContext();
        for (RequestContext.Entry entry : facts.entries()) {
            if (Authorizer.isFilledKey(entry.key())) {
                throw new RequestException("context." + entry.key(), "is filled from the principal, the resource's "
                        + "account or the clock, and cannot be supplied");
            }
            if (entry.multivalued()) {
                check.putAll(entry.key(), entry.values());
            } else {
                check.put(entry.key(), entry.values().get(0));
            }
        }
        return check;
    }
}
