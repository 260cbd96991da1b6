package dev.gavel.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import org.junit.jupiter.api.Test;

/** Locations of policies inside larger texts: the full path, joined only when asked. */
class SourceLocationTest {

    @Test
    void aLocationWithinADocumentHasTheJoinedPath() {
        SourceLocation within = SourceLocation.within(3, 7, "RoleDetailList[4].AssumeRolePolicyDocument", "Statement[0]");
        assertThat(within.path()).isEqualTo("RoleDetailList[4].AssumeRolePolicyDocument.Statement[0]");
        assertThat(within).isEqualTo(new SourceLocation(3, 7, "RoleDetailList[4].AssumeRolePolicyDocument.Statement[0]"))
                .hasSameHashCodeAs(new SourceLocation(3, 7, "RoleDetailList[4].AssumeRolePolicyDocument.Statement[0]"))
                .isNotEqualTo(new SourceLocation(3, 8, within.path()));
        assertThat(SourceLocation.within(1, 1, "policy", "").path()).isEqualTo("policy");
        assertThat(SourceLocation.within(1, 1, "", "Statement").path()).isEqualTo("Statement");
        assertThat(within).hasToString("3:7");
    }

    @Test
    void documentsInsideALargerTextShareTheirPathsWithinTheDocument() throws Exception {
        String text = "{\"a\": {\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}},\n"
                + " \"b\": {\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}}";
        JsonObject root = (JsonObject) new JsonReader(10_000, 10).read(text);
        Policy a = PolicyParser.parse("a", root.get("a"), text, "a").policy();
        Policy b = PolicyParser.parse("b", root.get("b"), text, "b").policy();
        assertThat(a.location().path()).isEqualTo("a");
        assertThat(b.statements().get(0).action().location().path()).isEqualTo("b.Statement.Action");
        assertThat(b.statements().get(0).action().location().line()).isEqualTo(2);
        assertThat(a.statements().get(0).action().location())
                .isNotEqualTo(b.statements().get(0).action().location());
    }
}
