package dev.gavel.sidecar.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.directory.Tag;
import dev.gavel.sts.StsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Parameters named as the AWS query protocol names them: scalars, member lists, lists of structures. */
class ActionParametersTest {

    static ActionParameters parameters(String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Action", "AssumeRole");
        values.put("Version", "2011-06-15");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new ActionParameters("AssumeRole", values);
    }

    static void refused(ThrowingCallable call, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void scalarsAreReadByNameAndAMissingRequiredOneIsAwssValidationError() throws StsException {
        ActionParameters parameters = parameters("RoleArn", "arn:aws:iam::111122223333:role/R");
        assertThat(parameters.required("RoleArn")).isEqualTo("arn:aws:iam::111122223333:role/R");
        assertThat(parameters.optional("ExternalId")).isNull();
        refused(() -> parameters.required("RoleSessionName"), "ValidationError", "1 validation error detected: "
                + "Value null at 'RoleSessionName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void wholeNumbersAreParsedAndAnythingElseIsRefusedNamingTheParameter() throws StsException {
        assertThat(parameters("DurationSeconds", "3600").integer("DurationSeconds")).isEqualTo(3600);
        assertThat(parameters().integer("DurationSeconds")).isNull();
        for (String bad : List.of("1h", "-900", "", "9999999999", "3600.0")) {
            refused(() -> parameters("DurationSeconds", bad).integer("DurationSeconds"), "ValidationError",
                    "1 validation error detected: Value '" + bad + "' at 'DurationSeconds' failed to satisfy "
                            + "constraint: Member must be a whole number");
        }
    }

    @Test
    void listsAreReadInMemberOrderAndMayBeGivenEmpty() throws StsException {
        ActionParameters parameters = parameters("TransitiveTagKeys.member.2", "env",
                "TransitiveTagKeys.member.1", "team", "PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/A",
                "PolicyArns.member.2.arn", "arn:aws:iam::aws:policy/B");
        assertThat(parameters.list("TransitiveTagKeys")).containsExactly("team", "env");
        assertThat(parameters.list("PolicyArns", "arn"))
                .containsExactly("arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B");
        assertThat(parameters("Tags", "").tags("Tags")).isEmpty();
        assertThat(parameters().list("TransitiveTagKeys")).isEmpty();
    }

    @Test
    void aListWithAGapOrAScalarValueIsRefused() {
        refused(() -> parameters("TransitiveTagKeys.member.1", "a", "TransitiveTagKeys.member.3", "c")
                .list("TransitiveTagKeys"), "InvalidQueryParameter", "TransitiveTagKeys.member.2 is missing: list "
                + "members are numbered from 1 with no gap, and TransitiveTagKeys.member.3 is given");
        refused(() -> parameters("PolicyArns", "arn:aws:iam::aws:policy/A").list("PolicyArns", "arn"),
                "InvalidQueryParameter", "PolicyArns is a list: give its members as PolicyArns.member.1, "
                        + "PolicyArns.member.2 and so on, not as PolicyArns=arn:aws:iam::aws:policy/A");
    }

    @Test
    void tagsPairKeysWithValuesAndATagWithoutOneIsRefused() throws StsException {
        assertThat(parameters("Tags.member.1.Key", "team", "Tags.member.1.Value", "audit",
                "Tags.member.2.Key", "env", "Tags.member.2.Value", "").tags("Tags"))
                .containsExactly(new Tag("team", "audit"), new Tag("env", ""));
        refused(() -> parameters("Tags.member.1.Key", "team").tags("Tags"), "ValidationError",
                "1 validation error detected: Value null at 'Tags.member.1.Value' failed to satisfy constraint: "
                        + "Member must not be null");
        refused(() -> parameters("Tags.member.1.Value", "audit").tags("Tags"), "ValidationError",
                "1 validation error detected: Value null at 'Tags.member.1.Key' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    @Test
    void aParameterTheActionDoesNotReadIsRefusedWithAHint() throws StsException {
        ActionParameters misspelt = parameters("RoleArn", "r", "ExternalID", "x");
        misspelt.required("RoleArn");
        misspelt.optional("ExternalId");
        refused(misspelt::refuseUnread, "InvalidQueryParameter",
                "AssumeRole has no parameter ExternalID: did you mean ExternalId?");

        ActionParameters badField = parameters("Tags.member.1.Key", "team", "Tags.member.1.Valeu", "audit");
        refused(() -> badField.tags("Tags"), "ValidationError", "1 validation error detected: Value null at "
                + "'Tags.member.1.Value' failed to satisfy constraint: Member must not be null");

        ActionParameters unknown = parameters("Colour", "blue");
        unknown.optional("RoleArn");
        refused(unknown::refuseUnread, "InvalidQueryParameter", "AssumeRole has no parameter Colour; it takes RoleArn");

        ActionParameters none = parameters("RoleArn", "r");
        refused(none::refuseUnread, "InvalidQueryParameter", "AssumeRole has no parameter RoleArn; it takes none");
    }

    @Test
    void aMisspeltMemberFieldIsHintedByItsGenericName() throws StsException {
        ActionParameters parameters = parameters("PolicyArns.member.1.Arn", "arn:aws:iam::aws:policy/A");
        assertThat(parameters.list("PolicyArns", "arn")).isEmpty();
        refused(parameters::refuseUnread, "InvalidQueryParameter",
                "AssumeRole has no parameter PolicyArns.member.1.Arn: did you mean PolicyArns.member.N.arn?");
    }

    @Test
    void anUnsupportedParameterIsRefusedOnlyWhenGiven() throws StsException {
        parameters().unsupported("ProvidedContexts", "why");
        refused(() -> parameters("ProvidedContexts.member.1.ProviderArn", "p").unsupported("ProvidedContexts",
                "trusted context assertions come from IAM Identity Center"), "InvalidParameterValue",
                "Gavel does not support the parameter ProvidedContexts of AssumeRole: trusted context assertions "
                        + "come from IAM Identity Center");
    }
}
