package dev.gavel.compile;

import dev.gavel.directory.Directory;
import dev.gavel.directory.DirectoryBuilder;
import dev.gavel.directory.DirectoryException;
import dev.gavel.eval.PolicySet;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyType;
import dev.gavel.policy.PolicyValidator;
import dev.gavel.policy.PolicyWriter;
import dev.gavel.policy.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small random directories: two accounts with users, groups and roles whose policies (identity,
 * boundary), resource policies, SCPs and RCPs are the random policy sets of {@link RandomRequests},
 * so that they name the same actions, resources, keys and principals as its requests do. Roles
 * trust a random few of the principals that world knows. Policies IAM would refuse (the generator
 * also writes ones that only evaluators must survive) are left out; a directory refused all the
 * same is drawn again.
 */
final class RandomDirectories {

    static final String A = "111122223333";
    static final String B = "444455556666";
    private static final String[] TRUSTED = {"{\"AWS\": \"" + A + "\"}", "{\"AWS\": \"arn:aws:iam::" + B + ":root\"}",
        "{\"Service\": \"ec2.amazonaws.com\"}", "{\"AWS\": \"arn:aws:iam::" + A + ":user/alice\"}", "\"*\"",
        "{\"AWS\": \"arn:aws:iam::999999999999:role/Outside\"}"};
    private static final String[] TAGS = {"payments", "bucket", "a*b"};

    private final Random random;
    private final RandomRequests policies;

    /** Draws replaced by {@link #mutation}'s, counted from 0; -1 for none. */
    private final int mutateAt;
    private final RandomRequests mutation;
    private int draws;

    RandomDirectories(long seed) {
        this(seed, -1, 0);
    }

    /**
     * The directory {@code new RandomDirectories(seed)} gives, but for one set of policies (an
     * account's SCPs and RCPs, a user's, the group's, a role's or a resource's), drawn from
     * {@code mutationSeed} instead: the {@code mutateAt}-th of the sets drawn, from 0, wrapping.
     */
    RandomDirectories(long seed, int mutateAt, long mutationSeed) {
        this.random = new Random(seed);
        this.policies = new RandomRequests(seed);
        this.mutateAt = mutateAt;
        this.mutation = new RandomRequests(mutationSeed);
    }

    /** The next set of policies, the mutation's at the chosen draw. */
    private PolicySet draw() {
        PolicySet drawn = policies.next().policies();
        return draws++ == mutateAt ? mutation.next().policies() : drawn;
    }

    /** The next directory the validator accepts. */
    Directory next() {
        DirectoryException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            draws = 0;
            try {
                return build();
            } catch (DirectoryException refused) {
                // Draw again: some random policies are valid for an evaluator and not for IAM.
                last = refused;
            }
        }
        throw new IllegalStateException("50 random directories in a row were refused, the last for "
                + last.problems(), last);
    }

    private Directory build() throws DirectoryException {
        DirectoryBuilder builder = Directory.builder();
        if (random.nextBoolean()) {
            PolicySet org = draw();
            builder.organization("o-a1b2c3d4e5", "999988887777", contents -> {
                List<String> unit = new ArrayList<>();
                int n = 0;
                for (List<Policy> level : org.scps()) {
                    for (Policy scp : valid(level, PolicyType.SCP)) {
                        String name = "scp" + n++;
                        contents.scp(name, PolicyWriter.write(scp), n == 1);
                        unit.add(name);
                    }
                }
                contents.scp("FullAWSAccess", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                        + "\"Action\": \"*\", \"Resource\": \"*\"}]}", true);
                unit.add("FullAWSAccess");
                for (List<Policy> level : org.rcps()) {
                    for (Policy rcp : valid(level, PolicyType.RCP)) {
                        contents.rcp("rcp" + n++, PolicyWriter.write(rcp), true);
                    }
                }
                contents.unit("Workloads", unit, random.nextBoolean() ? List.of(A, B) : List.of(A));
            });
        }
        builder.account(A, account -> {
            user(account, "alice");
            user(account, "bob");
            account.group("devs", group -> identity(group, draw()));
            role(account, "App");
            role(account, "Ops");
        });
        builder.account(B, account -> {
            user(account, "carol");
            role(account, "App");
        });
        for (String[] resource : new String[][] {{"arn:aws:s3:::bucket", A}, {"arn:aws:s3:::payments", B},
            {"arn:aws:kms:eu-west-1:" + A + ":key/1234", A}, {"arn:aws:sqs:eu-west-1:" + A + ":queue:with:colons", A}}) {
            Policy policy = draw().resourcePolicy();
            if (policy != null && !valid(List.of(policy), PolicyType.RESOURCE).isEmpty()) {
                builder.resourcePolicy(resource[0], resource[1], PolicyWriter.write(policy));
            }
        }
        return builder.build();
    }

    private void user(DirectoryBuilder.AccountBuilder account, String name) {
        PolicySet set = draw();
        account.user(name, user -> {
            identity(user, set);
            if (hasBoundary(set)) {
                user.boundary("boundary-" + name);
            }
            if (name.equals("alice") || random.nextBoolean()) {
                user.group("devs");
            }
            if (random.nextBoolean()) {
                user.tag("team", TAGS[random.nextInt(TAGS.length)]);
            }
        });
        boundary(account, name, set);
    }

    private void role(DirectoryBuilder.AccountBuilder account, String name) {
        PolicySet set = draw();
        boundary(account, name, set);
        StringBuilder trust = new StringBuilder("{\"Version\": \"2012-10-17\", \"Statement\": [");
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            trust.append(i == 0 ? "" : ", ").append("{\"Effect\": \"Allow\", \"Principal\": ")
                    .append(TRUSTED[random.nextInt(TRUSTED.length)]).append(", \"Action\": \"sts:AssumeRole\"}");
        }
        account.role(name, trust.append("]}").toString(), role -> {
            identity(role, set);
            if (hasBoundary(set)) {
                role.boundary("boundary-" + name);
            }
            if (random.nextBoolean()) {
                role.tag("team", TAGS[random.nextInt(TAGS.length)]);
            }
        });
    }

    private static void identity(DirectoryBuilder.PrincipalBuilder principal, PolicySet set) {
        int n = 0;
        for (Policy policy : valid(set.identityPolicies(), PolicyType.IDENTITY)) {
            principal.inline("p" + n++, PolicyWriter.write(policy));
        }
    }

    private static void boundary(DirectoryBuilder.AccountBuilder account, String name, PolicySet set) {
        if (hasBoundary(set)) {
            account.managedPolicy("boundary-" + name, PolicyWriter.write(set.permissionBoundary()));
        }
    }

    private static boolean hasBoundary(PolicySet set) {
        return set.permissionBoundary() != null
                && !valid(List.of(set.permissionBoundary()), PolicyType.BOUNDARY).isEmpty();
    }

    /** The policies IAM would accept as the type. */
    private static List<Policy> valid(List<Policy> policies, PolicyType type) {
        PolicyValidator validator = new PolicyValidator(PolicyValidator.Options.of(type));
        return policies.stream().filter(policy -> validator.validate(policy).stream()
                .noneMatch(finding -> finding.severity() == Severity.ERROR)).toList();
    }
}
