package dev.gavel.cli;

import dev.gavel.condition.PolicyTemplate;
import dev.gavel.directory.Account;
import dev.gavel.directory.Authorizer;
import dev.gavel.directory.Directory;
import dev.gavel.directory.Identity;
import dev.gavel.directory.Role;
import dev.gavel.directory.User;
import dev.gavel.eval.RequestContext;
import dev.gavel.match.Arn;
import dev.gavel.match.Wildcard;
import dev.gavel.policy.PatternElement;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyString;
import dev.gavel.policy.ServiceCatalog;
import dev.gavel.policy.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The requests {@code gavel bench} decides, drawn from a directory's own policies so that the
 * numbers describe the user's policies rather than ours.
 *
 * <p><b>Who.</b> Every user, and one session of every role
 * ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/bench}), in ARN order.
 *
 * <p><b>What.</b> For each statement of a principal's identity policies (its own, its groups'),
 * the actions its {@code Action} element names. A literal action is taken as written; a pattern
 * such as {@code s3:Get*} is expanded against the service catalog when there is one (a few of
 * the matching actions, drawn at random), else matched against a list of commonly called actions,
 * else turned into a plausible name ({@code s3:*Object} becomes {@code s3:GetObject}). {@code *}
 * and {@code NotAction} statements get commonly called actions. A principal whose policies name no
 * action is still checked, with commonly called actions.
 *
 * <p><b>On what.</b> A resource drawn from the same statement's {@code Resource} patterns: policy
 * variables substituted with the principal's facts ({@code ${aws:username}} is the user's name),
 * a wildcard region made {@value #DEFAULT_REGION}, a wildcard account the principal's, and other
 * wildcards replaced with concrete text. {@code Resource: "*"} and {@code NotResource} statements
 * get an ARN of the action's service in the principal's account.
 *
 * <p><b>The mix.</b> Each request picks a principal at random, then: 7 in 10 pick an action and a
 * resource of one statement (mostly what the policies grant or deny); 2 in 10 pair the action
 * with a resource of another of the principal's statements; 1 in 10 is a commonly called action on
 * a resource of its service, which the policies may not mention at all. The request facts are
 * those every AWS request carries: {@code aws:SecureTransport}, {@code aws:ViaAWSService},
 * {@code aws:SourceIp} (one of a few documentation addresses) and {@code aws:RequestedRegion}
 * (the resource ARN's region, else {@value #DEFAULT_REGION}).
 *
 * <p>Everything is drawn from one {@link Random} seeded by the caller, in a fixed order, so a seed
 * always gives the same requests for the same directory (and catalog).
 */
final class BenchWorkload {

    /** The session name of every role session the workload checks. */
    static final String SESSION_NAME = "bench";
    /** The region of requests whose resource names none. */
    static final String DEFAULT_REGION = "eu-west-1";
    /** Where requests come from: documentation addresses (RFC 5737) and one private address. */
    static final List<String> SOURCE_IPS = List.of("203.0.113.10", "198.51.100.23", "192.0.2.45", "10.20.30.40");
    /** Actions that most AWS workloads call, for wildcards and principals whose policies name none. */
    static final List<String> COMMON_ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:ListBucket",
            "s3:DeleteObject", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "sqs:SendMessage",
            "sqs:ReceiveMessage", "sns:Publish", "lambda:InvokeFunction", "kms:Decrypt", "kms:GenerateDataKey",
            "logs:PutLogEvents", "ec2:DescribeInstances", "secretsmanager:GetSecretValue", "ssm:GetParameter",
            "sts:GetCallerIdentity", "iam:GetRole", "cloudwatch:PutMetricData");

    /** How many of the actions a wildcard pattern matches are drawn. */
    private static final int ACTIONS_PER_PATTERN = 4;
    /** What a wildcard in a resource becomes. */
    private static final List<String> FILLS = List.of("bench", "bench-1", "bench-2", "bench-3");

    /** A principal to check, by ARN. */
    record Candidate(String arn) {}

    /** One request: a principal (an index into the principals), an action, a resource, and request facts. */
    record Request(int principal, String action, String resource, String region, String sourceIp) {}

    /** What one statement names: concrete actions, and its resource patterns (empty for any resource). */
    private record Grant(List<String> actions, List<String> resources) {}

    private final Authorizer authorizer;
    private final ServiceCatalog catalog;
    private final Random random;
    /** Each statement's grant, worked out once however many principals share its policy. */
    private final Map<Statement, Grant> grants = new IdentityHashMap<>();

    private BenchWorkload(Authorizer authorizer, ServiceCatalog catalog, long seed) {
        this.authorizer = authorizer;
        this.catalog = catalog;
        this.random = new Random(seed);
    }

    /** Every user and a session of every role of the directory, in ARN order. */
    static List<Candidate> candidates(Directory directory) {
        List<Candidate> candidates = new ArrayList<>();
        for (Account account : directory.accounts()) {
            for (User user : account.users().values()) {
                candidates.add(new Candidate(user.arn()));
            }
            for (Role role : account.allRoles()) {
                Arn arn = Arn.parse(role.arn());
                String partition = arn == null ? "aws" : arn.partition();
                candidates.add(new Candidate("arn:" + partition + ":sts::" + role.accountId() + ":assumed-role/"
                        + role.name() + "/" + SESSION_NAME));
            }
        }
        candidates.sort(Comparator.comparing(Candidate::arn));
        return candidates;
    }

    /**
     * {@code size} requests of the principals, drawn with the seed.
     *
     * @param catalog the service catalog wildcard actions are expanded against, or null
     */
    static List<Request> requests(List<Identity> principals, Authorizer authorizer, ServiceCatalog catalog,
            int size, long seed) {
        if (principals.isEmpty()) {
            throw new IllegalArgumentException("a workload needs principals");
        }
        return new BenchWorkload(authorizer, catalog, seed).draw(principals, size);
    }

    private List<Request> draw(List<Identity> principals, int size) {
        List<List<Grant>> grantsOf = new ArrayList<>();
        List<RequestContext> factsOf = new ArrayList<>();
        for (Identity principal : principals) {
            grantsOf.add(grants(principal));
            factsOf.add(authorizer.principalFacts(principal));
        }
        List<Request> requests = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int p = random.nextInt(principals.size());
            List<Grant> grants = grantsOf.get(p);
            int roll = random.nextInt(10);
            String action;
            String pattern = null;
            if (grants.isEmpty() || roll == 0) {
                action = pick(COMMON_ACTIONS);
            } else {
                Grant grant = pick(grants);
                action = pick(grant.actions());
                Grant resources = roll <= 2 ? pick(grants) : grant;
                pattern = resources.resources().isEmpty() ? null : pick(resources.resources());
            }
            Identity principal = principals.get(p);
            String resource = resource(pattern, action, principal, factsOf.get(p));
            Arn arn = Arn.parse(resource);
            String region = arn == null || arn.region().isEmpty() ? DEFAULT_REGION : arn.region();
            requests.add(new Request(p, action, resource, region, pick(SOURCE_IPS)));
        }
        return requests;
    }

    // ---- actions

    /** The grants of a principal's identity policies, statement by statement; statements naming no action are left out. */
    private List<Grant> grants(Identity principal) {
        List<Grant> result = new ArrayList<>();
        for (Policy policy : authorizer.identityPolicies(principal)) {
            for (Statement statement : policy.statements()) {
                Grant grant = grants.computeIfAbsent(statement, this::grant);
                if (!grant.actions().isEmpty()) {
                    result.add(grant);
                }
            }
        }
        return result;
    }

    private Grant grant(Statement statement) {
        Set<String> actions = new LinkedHashSet<>();
        PatternElement element = statement.action();
        if (element != null && element.negated()) {
            List<String> outside = COMMON_ACTIONS.stream()
                    .filter(action -> element.patterns().stream().noneMatch(p -> Wildcard.matches(p.value(), action, true)))
                    .toList();
            actions.addAll(sample(outside, ACTIONS_PER_PATTERN));
        } else if (element != null) {
            for (PolicyString pattern : element.patterns()) {
                actions.addAll(actions(pattern.value()));
            }
        }
        List<String> resources = new ArrayList<>();
        PatternElement resource = statement.resource();
        if (resource != null && !resource.negated()) {
            for (PolicyString pattern : resource.patterns()) {
                resources.add(pattern.value());
            }
        }
        return new Grant(List.copyOf(actions), resources);
    }

    /** Concrete actions for an action pattern of a policy. */
    private List<String> actions(String pattern) {
        if (pattern.equals("*")) {
            return sample(COMMON_ACTIONS, ACTIONS_PER_PATTERN);
        }
        int colon = pattern.indexOf(':');
        if (colon <= 0) {
            return List.of();
        }
        if (!Wildcard.hasWildcard(pattern)) {
            return List.of(pattern);
        }
        String service = pattern.substring(0, colon);
        String name = pattern.substring(colon + 1);
        if (catalog != null && !Wildcard.hasWildcard(service)) {
            List<String> known = catalog.matchingActions(service, name);
            if (!known.isEmpty()) {
                return sample(known, ACTIONS_PER_PATTERN).stream().map(action -> service + ":" + action).toList();
            }
        }
        List<String> common = COMMON_ACTIONS.stream().filter(action -> Wildcard.matches(pattern, action, true)).toList();
        if (!common.isEmpty()) {
            return sample(common, ACTIONS_PER_PATTERN);
        }
        if (Wildcard.hasWildcard(service)) {
            return List.of();
        }
        return List.of(service + ":" + plausibleName(name));
    }

    /** A name an action pattern matches: a leading wildcard becomes Get, others Resource, {@code ?} X. */
    static String plausibleName(String pattern) {
        if (pattern.equals("*")) {
            return "GetResource";
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            name.append(c == '*' ? (i == 0 ? "Get" : "Resource") : c == '?' ? "X" : String.valueOf(c));
        }
        return name.toString();
    }

    // ---- resources

    /** A concrete resource for a resource pattern (null for any) of a statement naming the action. */
    private String resource(String pattern, String action, Identity principal, RequestContext facts) {
        String service = action.substring(0, action.indexOf(':')).toLowerCase(Locale.ROOT);
        String account = principal.accountId();
        Arn principalArn = Arn.parse(principal.principalArn());
        String partition = principalArn == null ? "aws" : principalArn.partition();
        if (pattern == null || pattern.equals("*")) {
            return anyResource(partition, service, account);
        }
        String text = substitute(pattern, facts);
        Arn arn = Arn.parse(text);
        if (arn == null) {
            return fill(text);
        }
        return "arn:" + part(arn.partition(), partition) + ":" + part(arn.service(), service) + ":"
                + part(arn.region(), DEFAULT_REGION) + ":" + part(arn.account(), account) + ":" + fill(arn.resource());
    }

    /** An ARN part: the preferred value when the pattern matches it, else the pattern filled in. */
    private String part(String pattern, String preferred) {
        if (!Wildcard.hasWildcard(pattern)) {
            return pattern;
        }
        return Wildcard.matches(pattern, preferred, true) ? preferred : fill(pattern);
    }

    /** The text with each {@code *} replaced by a word and each {@code ?} by a letter. */
    private String fill(String pattern) {
        if (!Wildcard.hasWildcard(pattern)) {
            return pattern;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                text.append(pick(FILLS));
            } else if (c == '?') {
                text.append('x');
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    /**
     * The pattern with its policy variables replaced by the principal's facts (or their
     * defaults, or a word), and {@code ${*}}, {@code ${?}}, {@code ${$}} by their characters.
     */
    private static String substitute(String pattern, RequestContext facts) {
        if (pattern.indexOf("${") < 0) {
            return pattern;
        }
        StringBuilder text = new StringBuilder();
        for (PolicyTemplate.Part part : PolicyTemplate.parse(pattern).parts()) {
            if (part instanceof PolicyTemplate.Text literal) {
                text.append(literal.text());
            } else if (part instanceof PolicyTemplate.Escaped escaped) {
                text.append(escaped.character());
            } else {
                PolicyTemplate.Variable variable = (PolicyTemplate.Variable) part;
                String value = facts.single(variable.key());
                text.append(value != null ? value : variable.defaultValue() != null ? variable.defaultValue() : "bench");
            }
        }
        return text.toString();
    }

    /** A resource of the service in the account, for statements that name any resource. */
    private String anyResource(String partition, String service, String account) {
        int n = random.nextInt(4);
        String regional = "arn:" + partition + ":" + service + ":" + DEFAULT_REGION + ":" + account + ":";
        return switch (service) {
            case "s3" -> "arn:" + partition + ":s3:::bench-bucket-" + n + "/reports/2026/q" + (n + 1) + ".csv";
            case "iam", "sts" -> "arn:" + partition + ":iam::" + account + ":role/bench-role-" + n;
            case "dynamodb" -> regional + "table/bench-table-" + n;
            case "lambda" -> regional + "function:bench-function-" + n;
            case "kms" -> regional + "key/0000000" + n + "-1111-2222-3333-444455556666";
            case "logs" -> regional + "log-group:/bench/group-" + n;
            case "ec2" -> regional + "instance/i-0bench0000000000" + n;
            case "secretsmanager" -> regional + "secret:bench-secret-" + n + "-AbCdEf";
            case "ssm" -> regional + "parameter/bench/parameter-" + n;
            case "sqs", "sns" -> regional + "bench-" + service + "-" + n;
            default -> regional + "bench/bench-" + n;
        };
    }

    // ---- drawing

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** Up to {@code count} elements of the list, drawn without repeats, in the list's order. */
    private List<String> sample(List<String> list, int count) {
        if (list.size() <= count) {
            return list;
        }
        Set<Integer> chosen = new HashSet<>();
        while (chosen.size() < count) {
            chosen.add(random.nextInt(list.size()));
        }
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < list.size(); i++) {
            if (chosen.contains(i)) {
                result.add(list.get(i));
            }
        }
        return result;
    }
}
