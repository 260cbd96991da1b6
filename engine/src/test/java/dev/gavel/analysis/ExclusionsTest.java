package dev.gavel.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.Engine;
import dev.gavel.directory.Directory;
import dev.gavel.eval.RequestContext;
import dev.gavel.match.Wildcard;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What what-can takes away inside an entry, and how diff compares what is taken away, on small
 * hand-written directories: cases the random properties found.
 */
class ExclusionsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String ACCOUNT = "111122223333";
    private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";

    /**
     * A NotResource Allow for every bucket but one, and an Allow of every bucket under a
     * condition: where the condition does not hold, the pattern the conditional statement writes
     * is reached through the NotResource one, without the bucket it leaves out.
     */
    private static Directory notResourceAndConditional() throws Exception {
        return Directory.builder().account(ACCOUNT, account -> account.user("alice", user -> user.inline("p", """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "AllButSecrets", "Effect": "Allow", "Action": "s3:GetObject",
                   "NotResource": "arn:aws:s3:::secrets/*"},
                  {"Sid": "InIreland", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*",
                   "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}
                """))).build();
    }

    private static RequestContext region(String region) {
        return RequestContext.builder().put("aws:RequestedRegion", region).build();
    }

    @Test
    void aPatternReachedThroughANotResourceAllowExcludesWhatItLeavesOut() throws Exception {
        Engine engine = Engine.of(notResourceAndConditional(), CLOCK);
        WhatCanReport report = new WhatCan(engine, null).ask(ALICE, "s3", null, region("us-east-1"));
        String secret = "arn:aws:s3:::secrets/plans";
        assertThat(engine.explain(ALICE, "s3:GetObject", secret, region("us-east-1")).decision().jsonName())
                .isEqualTo("implicitDeny");
        List<Reach> holding = report.reaches().stream()
                .filter(reach -> Wildcard.matches(reach.resource(), secret, false)).toList();
        assertThat(holding).isNotEmpty().allSatisfy(reach -> {
            assertThat(reach.statements()).extracting(s -> s.statement()).containsExactly("AllButSecrets");
            assertThat(reach.excluded()).extracting(Reach.Excluded::resource).contains("arn:aws:s3:::secrets/*");
        });
    }

    @Test
    void whereTheConditionHoldsTheConditionalStatementGrantsTheWholePattern() throws Exception {
        Engine engine = Engine.of(notResourceAndConditional(), CLOCK);
        WhatCanReport report = new WhatCan(engine, null).ask(ALICE, "s3", null, region("eu-west-1"));
        assertThat(engine.explain(ALICE, "s3:GetObject", "arn:aws:s3:::secrets/plans", region("eu-west-1"))
                .decision().jsonName()).isEqualTo("allowed");
        Reach buckets = report.reaches().stream().filter(reach -> reach.resource().equals("arn:aws:s3:::*"))
                .findFirst().orElseThrow();
        assertThat(buckets.statements()).extracting(s -> s.statement()).containsExactly("InIreland");
        assertThat(buckets.excluded()).isEmpty();
    }

    /**
     * Alice may put objects anywhere; the vault bucket's policy denies everyone its locked prefix
     * under a condition, and before the change her own policy also denied her the whole bucket.
     */
    private static Directory vault(boolean ownDeny) throws Exception {
        String deny = ownDeny ? """
                , {"Sid": "NotTheVault", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::vault/*",
                   "Condition": {"Bool": {"aws:SecureTransport": "true"}}}""" : "";
        return Directory.builder().account(ACCOUNT, account -> account.user("alice", user -> user.inline("p", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}%s]}
                """.formatted(deny)))).resourcePolicy("arn:aws:s3:::vault", ACCOUNT, """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "Locked", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                   "Resource": "arn:aws:s3:::vault/locked/*",
                   "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "ops"}}}]}
                """).build();
    }

    @Test
    void anExclusionLiftedIsNewAccessThoughAnotherStatementExcludesTheSamePart() throws Exception {
        Engine before = Engine.of(vault(true), CLOCK);
        Engine after = Engine.of(vault(false), CLOCK);
        RequestContext secure = RequestContext.builder().put("aws:SecureTransport", "true").build();
        String object = "arn:aws:s3:::vault/reports/q3";
        assertThat(before.explain(ALICE, "s3:PutObject", object, secure).decision().jsonName())
                .isEqualTo("explicitDeny");
        assertThat(after.explain(ALICE, "s3:PutObject", object, secure).decision().jsonName()).isEqualTo("allowed");
        // Both versions exclude arn:aws:s3:::vault/* (the bucket policy may deny there), but only
        // the old one for her own Deny, which held.
        DiffReport report = new Diff(null).compare(before, after, null, null, secure);
        assertThat(report.newAccess()).isTrue();
        assertThat(report.changes()).filteredOn(change -> change.direction() == DiffReport.Direction.GRANTED)
                .extracting(change -> change.reach().action() + " " + change.reach().resource())
                .contains("s3:PutObject *");
    }

    @Test
    void aResourcePolicysDenyNamingTheRequestersVariableIsExcludedForThatPrincipal() throws Exception {
        Directory directory = Directory.builder().account(ACCOUNT, account -> account.user("alice",
                user -> user.inline("p", """
                        {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/*"}]}
                        """))).resourcePolicy("arn:aws:s3:::home", ACCOUNT, """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "NotOwnHome", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
                """).build();
        Engine engine = Engine.of(directory, CLOCK);
        assertThat(engine.explain(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/diary", RequestContext.empty())
                .decision().jsonName()).isEqualTo("explicitDeny");
        WhatCanReport report = new WhatCan(engine, null).ask(ALICE, "s3", null, RequestContext.empty());
        Reach home = report.reaches().stream().filter(reach -> reach.resource().equals("arn:aws:s3:::home/*"))
                .findFirst().orElseThrow();
        assertThat(home.excluded()).extracting(Reach.Excluded::resource).containsExactly("arn:aws:s3:::home/alice/*");
    }

    /** A bucket of another account, whose policy names alice's account only after the change. */
    private static Directory partner(String named) throws Exception {
        return Directory.builder().account(ACCOUNT, account -> account.user("alice", user -> user.inline("p", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
                """))).resourcePolicy("arn:aws:s3:::partner", "444455556666", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": "%s"}, "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::partner/*"}]}
                """.formatted(named)).build();
    }

    @Test
    void anotherAccountsBucketOpenedToThePrincipalIsNewAccessThoughItsOwnPatternSpansIt() throws Exception {
        Engine before = Engine.of(partner("arn:aws:iam::999999999999:root"), CLOCK);
        Engine after = Engine.of(partner("arn:aws:iam::" + ACCOUNT + ":root"), CLOCK);
        String object = "arn:aws:s3:::partner/prices.csv";
        assertThat(before.explain(ALICE, "s3:GetObject", object, RequestContext.empty()).decision().jsonName())
                .isEqualTo("implicitDeny");
        assertThat(after.explain(ALICE, "s3:GetObject", object, RequestContext.empty()).decision().jsonName())
                .isEqualTo("allowed");
        // Her own * stands for her account's resources, in both versions: it does not cover the partner's.
        DiffReport report = new Diff(null).compare(before, after, ALICE, null, RequestContext.empty());
        assertThat(report.changes()).filteredOn(change -> change.direction() == DiffReport.Direction.GRANTED)
                .extracting(change -> change.reach().action() + " " + change.reach().resource())
                .containsExactly("s3:GetObject arn:aws:s3:::partner/*");
    }
}
