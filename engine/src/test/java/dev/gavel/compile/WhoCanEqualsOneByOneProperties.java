package dev.gavel.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.analysis.ActionAnswer;
import dev.gavel.analysis.Grant;
import dev.gavel.analysis.Verdict;
import dev.gavel.analysis.OneByOne;
import dev.gavel.analysis.OutsideGrant;
import dev.gavel.analysis.WhoCan;
import dev.gavel.analysis.WhoCanReport;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.eval.Residual;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * On random small directories ({@link RandomDirectories}) and random requests
 * ({@link RandomRequests}, the keys a request does not give unknown), who-can lists exactly the
 * users and roles that analysing every principal one by one with {@code Engine.analyse} allows
 * for some value of the unknown keys, each {@code allowed} or {@code conditional} as the analysis
 * says and with the same condition, a superset of those the compiled check allows (and, asked to
 * follow chains of roles, those that reach a listed role by {@code sts:AssumeRole} steps that the
 * analysis allows, at least under a condition, one at a time: each at its shortest chains, allowed
 * when one of them always is, else under the condition of one of them, and each step of the chain
 * listed as analysing it alone says), and never lists a principal the directory holds as an
 * outside one.
 */
class WhoCanEqualsOneByOneProperties {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T05:20:38Z"), ZoneOffset.UTC);
    private static final int QUESTIONS = 8;

    @Property(tries = 500)
    void whoCanEqualsCheckingEveryPrincipal(@ForAll long seed) throws Exception {
        Directory directory = new RandomDirectories(seed).next();
        Engine engine = Engine.of(directory, CLOCK);
        WhoCan whoCan = new WhoCan(engine);
        RandomRequests requests = new RandomRequests(~seed);
        boolean someoneListed = false;
        boolean someoneChained = false;
        boolean someoneConditional = false;
        boolean someoneChainedConditionally = false;
        for (int i = 0; i < QUESTIONS; i++) {
            Request request = requests.next().request();
            RequestContext context = suppliable(request.context());
            int steps = i % 3;
            WhoCanReport report = whoCan.ask(List.of(request.action()), request.resource(), context, steps);
            ActionAnswer answer = report.actions().get(0);
            String question = request.action() + " on " + request.resource() + " with " + context + ", " + steps
                    + " steps";
            // Those who may themselves: allowed or conditional as Engine.analyse says, with the same condition;
            // anyone left out is never allowed, whatever the unknown keys are.
            Map<String, Residual> analysed = OneByOne.analysed(engine, request.action(), request.resource(), context);
            assertThat(OneByOne.direct(answer)).as(question).isEqualTo(analysed);
            // The compiled check decides for the unknown keys absent, one of their values: it never allows more.
            assertThat(analysed.keySet()).as(question).containsAll(OneByOne.allowed(engine, request.action(),
                    request.resource(), context));
            // Those who reach it by assuming roles: at their shortest chains, allowed when one of those is, else
            // under the condition of one of them; and each step of the chain listed is what analysing it says.
            Map<String, OneByOne.Reach> reachable = OneByOne.reachable(engine, request.action(), request.resource(),
                    context, steps);
            assertThat(OneByOne.listed(answer)).as(question).isEqualTo(List.copyOf(reachable.keySet()));
            for (Grant grant : answer.principals()) {
                OneByOne.Reach reach = reachable.get(grant.type().jsonName() + " " + grant.arn());
                assertThat(grant.via()).as(question).hasSize(reach.roles());
                if (grant.via().isEmpty()) {
                    continue;
                }
                Residual condition = grant.verdict() == Verdict.ALLOWED ? Residual.TRUE : grant.condition();
                assertThat(reach.conditions()).as(question).contains(condition);
                assertThat(grant.verdict() == Verdict.ALLOWED).as(question)
                        .isEqualTo(reach.conditions().contains(Residual.TRUE));
                assertThat(grant.stepConditions()).as(question).isEqualTo(OneByOne.steps(engine, grant,
                        request.action(), request.resource(), context));
                someoneChainedConditionally |= grant.verdict() == Verdict.CONDITIONAL;
            }
            someoneConditional |= answer.principals().stream().anyMatch(g -> g.verdict() == Verdict.CONDITIONAL);
            assertThat(answer.principals()).allSatisfy(grant -> assertThat(grant.via().size()).isLessThanOrEqualTo(steps));
            someoneListed |= !answer.principals().isEmpty();
            someoneChained |= answer.principals().stream().anyMatch(grant -> !grant.via().isEmpty());
            for (OutsideGrant outside : answer.outside()) {
                assertThat(directory.user(outside.named())).isNull();
                assertThat(directory.role(outside.named())).isNull();
                assertThat(directory.account(outside.named())).isNull();
            }
            assertThat(report.coverage().undecided()).isEmpty();
        }
        assertThat(engine.failures()).isZero();
        // Lists that are empty on both sides prove little: most directories must allow someone something.
        Statistics.label("someone listed").collect(someoneListed)
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 30));
        Statistics.label("someone allowed under a condition").collect(someoneConditional)
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 5));
        Statistics.label("someone reached by assuming roles").collect(someoneChained)
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 1));
        Statistics.label("someone reached by assuming roles under a condition").collect(someoneChainedConditionally)
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 1));
    }

    /** The request's facts without those Gavel fills itself. */
    private static RequestContext suppliable(RequestContext context) {
        RequestContext.Builder kept = RequestContext.builder();
        for (RequestContext.Entry entry : context.entries()) {
            if (Authorizer.isFilledKey(entry.key())) {
                continue;
            }
            if (entry.multivalued()) {
                kept.putMultivalued(entry.key(), entry.values());
            } else {
                kept.put(entry.key(), entry.values().get(0));
            }
        }
        return kept.build();
    }
}
