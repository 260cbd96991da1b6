package dev.gavel.sidecar.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.sts.StsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Form-encoded parameters as AWS's clients write them, and the malformed ones a client did not mean. */
class QueryFormTest {

    @Test
    void readsPairsInOrderDecodingEscapesAndPlusAsSpace() throws StsException {
        Map<String, String> form = QueryForm.parse("Action=AssumeRole&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FVendorAuditRole&RoleSessionName=audit+2026"
                + "&Policy=%7B%22Version%22%3A+%222012-10-17%22%7D");
        assertThat(form).containsExactly(
                Map.entry("Action", "AssumeRole"),
                Map.entry("Version", "2011-06-15"),
                Map.entry("RoleArn", "arn:aws:iam::111122223333:role/VendorAuditRole"),
                Map.entry("RoleSessionName", "audit 2026"),
                Map.entry("Policy", "{\"Version\": \"2012-10-17\"}"));
    }

    @Test
    void decodesUtf8ButLeavesRawCharactersAsTheyAre() throws StsException {
        assertThat(QueryForm.parse("Tags.member.1.Value=%C3%A9quipe%20%E2%82%AC&Tags.member.1.Key=équipe"))
                .containsEntry("Tags.member.1.Value", "équipe €")
                .containsEntry("Tags.member.1.Key", "équipe");
        assertThat(QueryForm.parse("Policy=%F0%9F%94%91")).containsEntry("Policy", "\uD83D\uDD11");
    }

    @Test
    void aNameWithoutValueHasTheEmptyValueAndEmptyPairsAreSkipped() throws StsException {
        assertThat(QueryForm.parse("Tags=&PolicyArns&&Action=GetCallerIdentity&"))
                .containsExactly(Map.entry("Tags", ""), Map.entry("PolicyArns", ""),
                        Map.entry("Action", "GetCallerIdentity"));
        assertThat(QueryForm.parse("")).isEmpty();
        assertThat(QueryForm.parse(null)).isEmpty();
    }

    @Test
    void valuesKeepEqualsSignsAfterTheFirst() throws StsException {
        assertThat(QueryForm.parse("ExternalId=a=b")).containsEntry("ExternalId", "a=b");
    }

    @Test
    void malformedInputIsRefusedNamingTheParameter() {
        for (List<String> bad : List.of(
                List.of("RoleArn=arn%3", "the value of RoleArn has a malformed escape at character 4"),
                List.of("RoleArn=%zz", "the value of RoleArn has a malformed escape at character 1"),
                List.of("Role%G1=x", "the parameter name \"Role%G1\" has a malformed escape"),
                List.of("Policy=%C3%28", "the value of Policy is not UTF-8 once decoded"),
                List.of("=value", "a parameter has no name: \"=value\""),
                List.of("Action=AssumeRole&Action=GetCallerIdentity", "the parameter Action is given more than once"))) {
            assertThatThrownBy(() -> QueryForm.parse(bad.get(0)))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.code()).isEqualTo("InvalidQueryParameter");
                        assertThat(e.getMessage()).startsWith(bad.get(1));
                    });
        }
    }
}
