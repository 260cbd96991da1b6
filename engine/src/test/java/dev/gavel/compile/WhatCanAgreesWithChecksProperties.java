package dev.gavel.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.Principal;
import dev.gavel.analysis.Reach;
import dev.gavel.analysis.Verdict;
import dev.gavel.analysis.WhatCan;
import dev.gavel.analysis.WhatCanReport;
import dev.gavel.analysis.WhoCan;
import dev.gavel.directory.Account;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.ConditionalEvaluation;
import dev.gavel.eval.Request;
import dev.gavel.eval.RequestContext;
import dev.gavel.match.Wildcard;
import dev.gavel.policy.ServiceCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * On random small directories ({@link RandomDirectories}), what-can agrees with the engine on
 * sampled requests ({@link RandomRequests}'s actions and resources, every key not given unknown):
 * every request {@code Engine.analyse} allows, or allows under a condition (other than one on the
 * resource through a policy variable, which the analysis keeps by form even where no value can
 * meet it), falls within an entry for its action (unless the coverage says a limit allows a part
 * no pattern writes); and every
 * request within an {@code allowed} entry with no exclusions, on a resource of the principal's own
 * account, is allowed or conditional, never denied. Principals are every user, and every role as
 * any session of it.
 */
class WhatCanAgreesWithChecksProperties {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T05:20:38Z"), ZoneOffset.UTC);
    private static final int SAMPLES = 24;
    static final ServiceCatalog CATALOG = catalog();

    // A fixed seed keeps CI reproducible; without it, each run explores new random directories.
    @Property(tries = 300, seed = "20261201")
    void whatCanAgreesWithCheckingSampledRequests(@ForAll long seed) throws Exception {
        Directory directory = new RandomDirectories(seed).next();
        Engine engine = Engine.of(directory, CLOCK);
        WhatCan whatCan = new WhatCan(engine, CATALOG);
        List<Request> sample = sample(new RandomRequests(~seed));
        boolean reached = false;
        boolean soundChecked = false;
        for (Account account : directory.accounts()) {
            List<String[]> principals = new ArrayList<>();
            for (User user : account.users().values()) {
                principals.add(new String[] {user.arn(), user.arn()});
            }
            for (Role role : account.allRoles()) {
                principals.add(new String[] {role.arn(), "arn:aws:sts::" + account.id() + ":assumed-role/"
                        + role.name() + "/" + WhatCan.SESSION_NAME});
            }
            for (String[] principal : principals) {
                WhatCanReport report = whatCan.ask(principal[0], null, null, RequestContext.empty());
                assertThat(report.coverage().undecided()).as(principal[0]).isEmpty();
                Principal handle = engine.principal(principal[1]);
                for (Request request : sample) {
                    ConditionalEvaluation analysed = engine.analyse(handle, request.action(), request.resource(),
                            RequestContext.empty(), WhoCan.knowledge(report.type()), null);
                    boolean reachable = analysed.verdict() == dev.gavel.eval.Verdict.ALLOWED
                            || analysed.verdict() == dev.gavel.eval.Verdict.CONDITIONAL;
                    List<Reach> within = report.reaches().stream()
                            .filter(reach -> reach.action().equalsIgnoreCase(request.action())
                                    && Wildcard.matches(reach.resource(), request.resource(), false))
                            .toList();
                    String question = principal[0] + " " + request.action() + " on " + request.resource();
                    // A condition on the resource through a variable is kept by form, even one no value can meet.
                    boolean byVariable = analysed.allowedWhen().clauses().stream()
                            .anyMatch(clause -> clause instanceof dev.gavel.eval.ResourceClause);
                    if (reachable && !byVariable && report.coverage().unwritten().isEmpty()) {
                        assertThat(within).as(() -> question + " is " + analysed.verdict() + " by "
                                + analysed.explanation().statements() + "; listed for the action: "
                                + report.reaches().stream().filter(r -> r.action().equalsIgnoreCase(request.action()))
                                        .map(Reach::resource).toList() + " from " + policies(directory, principal[0])
                                + " and " + directory.resourcePolicies().stream().filter(r -> r.policy() != null)
                                        .map(r -> dev.gavel.policy.PolicyWriter.write(r.policy())).toList())
                                .isNotEmpty();
                        reached = true;
                    }
                    if (ownAccount(directory, request.resource(), account.id())) {
                        for (Reach reach : within) {
                            if (reach.verdict() == Verdict.ALLOWED && reach.excluded().isEmpty()) {
                                assertThat(reachable).as(() -> question + " within allowed " + reach + " but "
                                        + analysed.verdict() + " by " + analysed.explanation().statements() + " from "
                                        + policies(directory, principal[0]) + " and "
                                        + directory.resourcePolicies()).isTrue();
                                soundChecked = true;
                            }
                        }
                    }
                }
            }
        }
        assertThat(engine.failures()).isZero();
        Statistics.label("a sampled request reached").collect(reached)
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 30));
        Statistics.label("an allowed entry checked").collect(soundChecked)
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 20));
    }

    /** Requests whose actions the test catalog holds, as what-can lists them. */
    static List<Request> sample(RandomRequests requests) {
        List<Request> sample = new ArrayList<>();
        while (sample.size() < SAMPLES) {
            Request request = requests.next().request();
            String action = request.action();
            String[] parts = action.split(":", 2);
            // sts:GetCallerIdentity needs no permission, so no statement grants it and what-can does not list it.
            if (CATALOG.hasAction(parts[0], parts[1]) && !action.equalsIgnoreCase("sts:GetCallerIdentity")) {
                sample.add(request);
            }
        }
        return sample;
    }

    private static String policies(Directory directory, String arn) {
        Role role = directory.role(arn);
        User user = directory.user(arn);
        List<dev.gavel.directory.InlinePolicy> inline = new ArrayList<>(role != null ? role.inlinePolicies()
                : user.inlinePolicies());
        if (user != null) {
            for (String group : user.groupNames()) {
                inline.addAll(directory.account(user.accountId()).group(group).inlinePolicies());
            }
        }
        return inline.stream().map(p -> dev.gavel.policy.PolicyWriter.write(p.document())).toList().toString();
    }

    private static boolean ownAccount(Directory directory, String resource, String account) {
        String owner = directory.resourceAccount(resource);
        return owner == null || owner.equals(account);
    }

    /** A catalog of the services and actions random policies and requests use. */
    private static ServiceCatalog catalog() {
        try {
            Path file = Files.createTempFile("catalog", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
                    {"s3": {"actions": ["GetObject", "PutObject", "ListBucket", "GetBucketPolicy", "DeleteObject"]},
                     "iam": {"actions": ["PassRole", "DeleteRole", "CreatePolicyVersion", "TagRole", "GetRole"]},
                     "kms": {"actions": ["Decrypt", "CreateAlias", "Encrypt"]},
                     "sts": {"actions": ["AssumeRole", "TagSession", "SetSourceIdentity"]},
                     "ec2": {"actions": ["DescribeInstances", "RunInstances"]}}
                    """);
            return ServiceCatalog.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
