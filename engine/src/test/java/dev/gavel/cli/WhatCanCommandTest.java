package dev.gavel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code gavel what-can} on the demo directory: its text and JSON, its exit codes, its errors. */
class WhatCanCommandTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";


    private static CliRun run(String... args) {
        return CliRun.of(List.of("what-can", "--directory", "corpus/demo", "--no-service-catalog",
                "--context", "aws:SecureTransport=true", "--context", "aws:RequestedRegion=eu-west-1"), args);
    }

    @Test
    void textGroupsByServiceAndAccessLevelWithTheGrantingStatements() {
        CliRun result = run("--principal", ALICE, "--service", "sqs", "--format", "text");
        assertThat(result.exit()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(
                ALICE + " (user) may:",
                "sqs",
                "  Read",
                "    allowed     ReceiveMessage on arn:aws:sqs:eu-west-1:111122223333:orders",
                "        identity policy arn:aws:iam::111122223333:policy/DeveloperAccess statement OrdersQueue at "
                        + "632:29",
                "  Write",
                "    allowed     SendMessage on arn:aws:sqs:eu-west-1:111122223333:orders",
                "        identity policy arn:aws:iam::111122223333:policy/DeveloperAccess statement OrdersQueue at "
                        + "632:29",
                "examined 5 policies, 2 actions, 2 (action, resource) pairs; access levels inferred from the "
                        + "action's verb");
    }

    @Test
    void jsonNestsServicesLevelsAndActionsAndEndsWithTheCoverage() throws Exception {
        CliRun result = run("--principal", ALICE, "--service", "iam");
        assertThat(result.exit()).isZero();
        JsonObject report = (JsonObject) new JsonReader(1_000_000, 20).read(result.out());
        assertThat(report.get("Principal").scalarText()).isEqualTo(ALICE);
        assertThat(report.get("Type").scalarText()).isEqualTo("user");
        JsonObject iam = (JsonObject) ((JsonArray) report.get("Services")).elements().get(0);
        assertThat(iam.get("Service").scalarText()).isEqualTo("iam");
        JsonObject level = (JsonObject) ((JsonArray) iam.get("AccessLevels")).elements().get(0);
        assertThat(level.get("AccessLevel").scalarText()).isEqualTo("Write");
        JsonObject passRole = (JsonObject) ((JsonArray) level.get("Actions")).elements().get(0);
        assertThat(passRole.get("Action").scalarText()).isEqualTo("iam:PassRole");
        assertThat(passRole.get("Resource").scalarText()).isEqualTo("arn:aws:iam::111122223333:role/AppRole");
        assertThat(passRole.get("Verdict").scalarText()).isEqualTo("conditional");
        assertThat(passRole.get("Condition")).isInstanceOf(JsonObject.class);
        JsonObject coverage = (JsonObject) report.get("Coverage");
        assertThat(coverage.get("Undecided")).isInstanceOf(JsonArray.class);
        assertThat(((JsonArray) coverage.get("Undecided")).elements()).isEmpty();
    }

    @Test
    void nothingInScopeExitsOneAndAnUnknownPrincipalExitsTwo() {
        CliRun nothing = run("--principal", ALICE, "--service", "ec2", "--format", "text");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.out()).contains("  nothing");
        CliRun unknown = run("--principal", "arn:aws:iam::111122223333:user/mallory");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("gavel what-can: ").contains("principal").contains("mallory");
        assertThat(unknown.out()).isEmpty();
    }

}
