package dev.gavel.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.policy.Condition;
import dev.gavel.policy.Policy;
import dev.gavel.policy.PolicyParser;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Condition semantics, one operator and one key at a time. */
class ReferenceConditionsTest {

    /** Evaluates {@code "operator": {"key": values}} against a context given as JSON-ish pairs. */
    private static boolean holds(String operator, String key, String valuesJson, RequestContext context) {
        Policy policy = PolicyParser.parse("t", "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"" + operator + "\": {\"" + key + "\": "
                + valuesJson + "}}}}").orElseThrow();
        Condition condition = policy.statements().get(0).conditions().get(0);
        return ReferenceConditions.holds(condition, policy.version(), context, new LinkedHashSet<>());
    }

    private static RequestContext single(String key, String value) {
        return RequestContext.builder().put(key, value).build();
    }

    private static RequestContext multi(String key, String... values) {
        return RequestContext.builder().putMultivalued(key, List.of(values)).build();
    }

    @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "StringEquals|[\"alice\"]|alice|true",
        "StringEquals|[\"alice\"]|Alice|false",
        "StringEquals|[\"bob\", \"alice\"]|alice|true",
        "StringEquals|[\"a*\"]|abc|false",
        "StringNotEquals|[\"alice\"]|bob|true",
        "StringNotEquals|[\"alice\", \"bob\"]|bob|false",
        "StringEqualsIgnoreCase|[\"ALICE\"]|alice|true",
        "StringNotEqualsIgnoreCase|[\"ALICE\"]|alice|false",
        "StringLike|[\"a*e\"]|alice|true",
        "StringLike|[\"a?ice\"]|alice|true",
        "StringLike|[\"A*\"]|alice|false",
        "StringNotLike|[\"b*\"]|alice|true",
        "NumericLessThan|[10]|9|true",
        "NumericLessThan|[10]|10|false",
        "NumericLessThanEquals|[\"10\"]|10.0|true",
        "NumericGreaterThan|[\"1.5\"]|1.50001|true",
        "NumericEquals|[\"1.20\"]|1.2|true",
        "NumericNotEquals|[\"5\"]|6|true",
        "NumericEquals|[\"5\"]|five|false",
        "NumericNotEquals|[\"5\"]|five|true",
        "DateLessThan|[\"2025-01-01T00:00:00Z\"]|2024-12-31T23:59:59Z|true",
        "DateGreaterThan|[\"2025-01-01T00:00:00Z\"]|1735689601|true",
        "DateEquals|[\"1735689600\"]|2025-01-01T00:00:00Z|true",
        "DateEquals|[\"2025-01-01T01:00:00+01:00\"]|2025-01-01T00:00:00.000Z|true",
        "DateGreaterThanEquals|[\"2025-01-01\"]|2025-01-01T00:00:00Z|true",
        "DateLessThan|[\"2025-01-01T00:00:00Z\"]|not-a-date|false",
        "Bool|[\"true\"]|true|true",
        "Bool|[true]|TRUE|true",
        "Bool|[\"false\"]|true|false",
        "Bool|[\"true\"]|yes|false",
        "BinaryEquals|[\"ZGV2\"]|ZGV2|true",
        "BinaryEquals|[\"ZGV2\"]|cHJvZA==|false",
        "IpAddress|[\"10.0.0.0/8\", \"192.0.2.0/24\"]|192.0.2.5|true",
        "IpAddress|[\"10.0.0.0/8\"]|2001:db8::1|false",
        "NotIpAddress|[\"10.0.0.0/8\"]|192.0.2.5|true",
        "ArnLike|[\"arn:aws:iam::*:role/App*\"]|arn:aws:iam::111122223333:role/AppRole|true",
        "ArnEquals|[\"arn:aws:iam::*:role/App*\"]|arn:aws:iam::111122223333:role/AppRole|true",
        "ArnNotLike|[\"arn:aws:iam::*:role/App*\"]|arn:aws:iam::111122223333:role/Other|true",
    })
    void comparesOneRequestValue(String operator, String values, String requestValue, boolean expected) {
        assertThat(holds(operator, "k", values, single("k", requestValue))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} with the key missing -> {1}")
    @CsvSource(delimiter = '|', value = {
        "StringEquals|false",
        "StringNotEquals|true",
        "StringLike|false",
        "StringNotLike|true",
        "NumericNotEquals|true",
        "DateNotEquals|true",
        "NotIpAddress|true",
        "ArnNotLike|true",
        "Bool|false",
        "StringEqualsIfExists|true",
        "StringNotEqualsIfExists|true",
        "ForAllValues:StringEquals|true",
        "ForAnyValue:StringEquals|false",
        "ForAnyValue:StringEqualsIfExists|true",
        "ForAllValues:StringNotEquals|true",
        "ForAnyValue:StringNotEquals|false",
    })
    void aMissingKey(String operator, boolean expected) {
        assertThat(holds(operator, "k", "[\"v\"]", RequestContext.empty())).isEqualTo(expected);
    }

    @Test
    void nullTestsPresence() {
        assertThat(holds("Null", "k", "\"true\"", RequestContext.empty())).isTrue();
        assertThat(holds("Null", "k", "\"false\"", RequestContext.empty())).isFalse();
        assertThat(holds("Null", "k", "\"false\"", single("k", "x"))).isTrue();
        assertThat(holds("Null", "k", "\"true\"", single("k", "x"))).isFalse();
        assertThat(holds("Null", "k", "\"maybe\"", RequestContext.empty())).isFalse();
    }

    @Test
    void setOperatorsCompareEveryRequestValue() {
        RequestContext tags = multi("aws:TagKeys", "team", "env");
        assertThat(holds("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\", \"env\", \"owner\"]", tags)).isTrue();
        assertThat(holds("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\"]", tags)).isFalse();
        assertThat(holds("ForAnyValue:StringEquals", "aws:TagKeys", "[\"team\"]", tags)).isTrue();
        assertThat(holds("ForAnyValue:StringEquals", "aws:TagKeys", "[\"owner\"]", tags)).isFalse();
        assertThat(holds("ForAllValues:StringNotEquals", "aws:TagKeys", "[\"owner\"]", tags)).isTrue();
        assertThat(holds("ForAllValues:StringNotEquals", "aws:TagKeys", "[\"env\"]", tags)).isFalse();
        assertThat(holds("ForAnyValue:StringNotEquals", "aws:TagKeys", "[\"env\"]", tags)).isTrue();
        assertThat(holds("ForAnyValue:StringLike", "aws:TagKeys", "[\"te*\"]", tags)).isTrue();
        RequestContext none = multi("aws:TagKeys");
        assertThat(holds("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\"]", none)).isTrue();
        assertThat(holds("ForAnyValue:StringEquals", "aws:TagKeys", "[\"team\"]", none)).isFalse();
    }

    @Test
    void aMultivaluedKeyWithoutASetOperatorNeverHolds() {
        RequestContext tags = multi("aws:TagKeys", "team");
        assertThat(holds("StringEquals", "aws:TagKeys", "[\"team\"]", tags)).isFalse();
        assertThat(holds("StringNotEquals", "aws:TagKeys", "[\"other\"]", tags)).isFalse();
    }

    @Test
    void keyNamesIgnoreCaseButValuesDoNot() {
        assertThat(holds("StringEquals", "AWS:UserName", "[\"alice\"]", single("aws:username", "alice"))).isTrue();
        assertThat(holds("StringEquals", "aws:username", "[\"alice\"]", single("aws:username", "ALICE"))).isFalse();
    }

    @Test
    void variablesAreSubstitutedLiterallyAndAMissingOneMatchesNothing() {
        RequestContext context = RequestContext.builder().put("aws:username", "a*").put("k", "a*").build();
        assertThat(holds("StringLike", "k", "[\"${aws:username}\"]", context)).isTrue();
        RequestContext other = RequestContext.builder().put("aws:username", "a*").put("k", "abc").build();
        assertThat(holds("StringLike", "k", "[\"${aws:username}\"]", other)).isFalse();
        RequestContext noName = single("k", "abc");
        assertThat(holds("StringEquals", "k", "[\"${aws:username}\"]", noName)).isFalse();
        assertThat(holds("StringNotEquals", "k", "[\"${aws:username}\"]", noName)).isTrue();
        assertThat(holds("StringEquals", "k", "[\"${aws:username, 'abc'}\"]", noName)).isTrue();
        assertThat(holds("StringEquals", "k", "[\"${*}\"]", single("k", "*"))).isTrue();
        assertThat(holds("StringLike", "k", "[\"${*}\"]", single("k", "x"))).isFalse();
    }

    @Test
    void reportsMissingKeys() {
        Policy policy = PolicyParser.parse("t", "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringEquals\": {\"aws:username\": \"a\"}, \"Bool\": {\"aws:SecureTransport\": \"true\"}}}}")
                .orElseThrow();
        Set<String> missing = new LinkedHashSet<>();
        RequestContext context = single("aws:SecureTransport", "true");
        for (Condition condition : policy.statements().get(0).conditions()) {
            ReferenceConditions.holds(condition, policy.version(), context, missing);
        }
        assertThat(missing).containsExactly("aws:username");
    }
}
