package dev.gavel.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One bad input per finding code: each code is reported, with a position, for the input that earns it. */
class FindingCodesTest {

    /** A policy that earns a finding, and how to validate it. */
    record BadInput(PolicyValidator.Options options, String text, String marker) {

        /** Where the finding must point: the marker's first character, or null for "anywhere". */
        Integer column() {
            return marker == null ? null : text.indexOf(marker) + 1;
        }
    }

    private static final Map<FindingCode, BadInput> INPUTS = new EnumMap<>(FindingCode.class);
    private static ServiceCatalog catalog;

    private static final String S = "{\"Version\": \"2012-10-17\", \"Statement\": ";

    private static void add(FindingCode code, PolicyType type, String text, String marker) {
        INPUTS.put(code, new BadInput(new PolicyValidator.Options(type, PolicyQuota.defaultFor(type), true, catalog),
                text, marker));
    }

    @BeforeAll
    static void inputs(@TempDir Path folder) throws IOException {
        Path catalogFile = folder.resolve("catalog.json");
        Files.writeString(catalogFile, "{\"s3\": {\"actions\": [\"GetObject\", \"PutObject\", \"ListBucket\"]}}");
        catalog = ServiceCatalog.load(catalogFile);
        PolicyType id = PolicyType.IDENTITY;
        add(FindingCode.JSON_SYNTAX, id, "{\"Statement\": [}", null);
        add(FindingCode.LIMIT_EXCEEDED, id, "{\"Statement\": " + "[".repeat(40) + "]".repeat(40) + "}", null);
        add(FindingCode.INVALID_TYPE, id, S + "{\"Effect\": 1, \"Action\": \"*\", \"Resource\": \"*\"}}", "1, \"Action");
        add(FindingCode.DUPLICATE_KEY, id,
                S + "{\"Effect\": \"Allow\", \"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}}", "\"Effect\": \"Deny");
        add(FindingCode.UNKNOWN_ELEMENT, id, S + "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resources\": \"*\"}}", "\"Resources");
        add(FindingCode.MISSING_STATEMENT, id, "{\"Version\": \"2012-10-17\"}", "{");
        add(FindingCode.EMPTY_ARRAY, id, S + "{\"Effect\": \"Allow\", \"Action\": [], \"Resource\": \"*\"}}", "[]");
        add(FindingCode.MISSING_EFFECT, id, S + "{\"Action\": \"*\", \"Resource\": \"*\"}}", "{\"Action");
        add(FindingCode.INVALID_EFFECT, id, S + "{\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}}", "\"allow");
        add(FindingCode.CONFLICTING_ELEMENTS, id,
                S + "{\"Effect\": \"Allow\", \"Action\": \"*\", \"NotAction\": \"s3:*\", \"Resource\": \"*\"}}", "\"NotAction");
        add(FindingCode.INVALID_VERSION, id, "{\"Version\": \"2012-10-18\", \"Statement\": []}", "\"2012-10-18");
        add(FindingCode.INVALID_PRINCIPAL, PolicyType.RESOURCE, S + "{\"Effect\": \"Allow\", \"Principal\": "
                + "{\"AWS\": \"arn:aws:iam::111122223333:user/*\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}", "\"arn:aws:iam::111122223333:user/*");
        add(FindingCode.UNKNOWN_OPERATOR, id, S + "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringEqual\": {\"aws:username\": \"a\"}}}}", "\"StringEqual\"");
        add(FindingCode.UNKNOWN_SET_OPERATOR, id, S + "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"ForSomeValues:StringEquals\": {\"aws:TagKeys\": \"a\"}}}}", "\"ForSome");
        add(FindingCode.NONCANONICAL_OPERATOR, id, S + "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"stringequals\": {\"aws:username\": \"a\"}}}}", "\"stringequals");
        add(FindingCode.MISSING_VERSION, id, "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}", "{");
        add(FindingCode.MISSING_ACTION, id, S + "{\"Effect\": \"Allow\", \"Resource\": \"*\"}}", "{\"Effect");
        add(FindingCode.MISSING_RESOURCE, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\"}}", "{\"Effect");
        add(FindingCode.RESOURCE_NOT_ALLOWED, PolicyType.TRUST, S + "{\"Effect\": \"Allow\", \"Principal\": "
                + "{\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\", \"Resource\": \"*\"}}", "\"*\"}}");
        add(FindingCode.MISSING_PRINCIPAL, PolicyType.RESOURCE,
                S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}}", "{\"Effect");
        add(FindingCode.PRINCIPAL_NOT_ALLOWED, id, S + "{\"Effect\": \"Allow\", \"Principal\": \"*\", "
                + "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}", "\"*\", \"Action");
        add(FindingCode.UNSUPPORTED_ELEMENT, PolicyType.RCP, S + "{\"Effect\": \"Deny\", \"Principal\": \"*\", "
                + "\"NotAction\": \"s3:GetObject\", \"Resource\": \"*\"}}", "\"s3:GetObject");
        add(FindingCode.EFFECT_NOT_ALLOWED, PolicyType.RCP, S + "{\"Effect\": \"Allow\", \"Principal\": \"*\", "
                + "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}", "{\"Effect");
        add(FindingCode.POLICY_SIZE_EXCEEDED, PolicyType.SESSION, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": \"arn:aws:s3:::" + "x".repeat(2100) + "\"}}", "{");
        INPUTS.put(FindingCode.POLICY_SIZE_UNCHECKED, new BadInput(new PolicyValidator.Options(PolicyType.IDENTITY,
                PolicyQuota.MANAGED, false, catalog), S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": \"arn:aws:s3:::" + "x".repeat(6200) + "\"}}", "{"));
        add(FindingCode.INVALID_CHARACTER, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": \"arn:aws:s3:::snow\u2603\"}}", "\"arn:aws:s3:::snow");
        add(FindingCode.INVALID_ACTION, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3GetObject\", \"Resource\": \"*\"}}",
                "\"s3GetObject");
        add(FindingCode.INVALID_ARN, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": \"my-bucket\"}}", "\"my-bucket");
        add(FindingCode.DUPLICATE_SID, id, S + "[{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": \"*\"}, {\"Sid\": \"A\", \"Effect\": \"Deny\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}]}", "\"A\", \"Effect\": \"Deny");
        add(FindingCode.INVALID_SID, id, S + "{\"Sid\": \"read only\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": \"*\"}}", "\"read only");
        add(FindingCode.INVALID_CONDITION_VALUE, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", "
                + "\"Resource\": \"*\", \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": \"ten\"}}}}", "\"ten");
        add(FindingCode.VARIABLE_IN_OLD_VERSION, id, "{\"Version\": \"2008-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
                + "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"}}", "\"arn:aws:s3:::b/$");
        add(FindingCode.VARIABLE_NOT_SUBSTITUTED, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:${aws:username}\", "
                + "\"Resource\": \"*\"}}", "\"s3:$");
        add(FindingCode.UNKNOWN_SERVICE, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s4:GetObject\", \"Resource\": \"*\"}}",
                "\"s4:");
        add(FindingCode.UNKNOWN_ACTION, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}}",
                "\"s3:GetObjekt");
        add(FindingCode.ALLOW_WITH_NOT_PRINCIPAL, PolicyType.RESOURCE, S + "{\"Effect\": \"Allow\", \"NotPrincipal\": "
                + "{\"AWS\": \"111122223333\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}}", "{\"AWS");
        add(FindingCode.PASS_ROLE_WITH_STAR_IN_RESOURCE, id, S + "{\"Effect\": \"Allow\", \"Action\": \"iam:*\", "
                + "\"Resource\": \"*\"}}", "\"iam:*");
        add(FindingCode.REDUNDANT_ACTION, id, S + "{\"Effect\": \"Allow\", \"Action\": [\"s3:*\", \"s3:GetObject\"], "
                + "\"Resource\": \"*\"}}", "\"s3:GetObject\"]");
        add(FindingCode.REDUNDANT_RESOURCE, id, S + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
                + "\"Resource\": [\"arn:aws:s3:::b/*\", \"arn:aws:s3:::b/x\"]}}", "\"arn:aws:s3:::b/x");
    }

    /** Codes of case files rather than policies; {@code CaseParserTest} earns each. */
    private static final Set<FindingCode> CASE_FILE_CODES = EnumSet.of(FindingCode.MALFORMED_CASE,
            FindingCode.UNKNOWN_CASE_FIELD);
    /** Codes of gateway route tables alone; {@code RouteTableTest} earns each. */
    private static final Set<FindingCode> ROUTE_TABLE_CODES = EnumSet.of(FindingCode.INVALID_ROUTE,
            FindingCode.UNKNOWN_ROUTE_FIELD, FindingCode.UNDEFINED_PLACEHOLDER, FindingCode.RESERVED_CONTEXT_KEY,
            FindingCode.UNREACHABLE_ROUTE);

    @Test
    void everyPolicyCodeHasABadInput() {
        Set<FindingCode> otherCodes = EnumSet.copyOf(CASE_FILE_CODES);
        otherCodes.addAll(ROUTE_TABLE_CODES);
        Set<FindingCode> policyCodes = EnumSet.complementOf(EnumSet.copyOf(otherCodes));
        assertThat(INPUTS.keySet()).containsExactlyInAnyOrderElementsOf(policyCodes);
    }

    @ParameterizedTest
    @EnumSource(value = FindingCode.class, mode = EnumSource.Mode.EXCLUDE, names = {"MALFORMED_CASE", "UNKNOWN_CASE_FIELD",
            "INVALID_ROUTE", "UNKNOWN_ROUTE_FIELD", "UNDEFINED_PLACEHOLDER", "RESERVED_CONTEXT_KEY", "UNREACHABLE_ROUTE"})
    void eachCodeIsReportedWhereTheProblemIs(FindingCode code) {
        BadInput input = INPUTS.get(code);
        List<Finding> findings = new PolicyValidator(input.options()).validate("bad.json", input.text());
        assertThat(findings).filteredOn(f -> f.code() == code).first().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(code.severity());
            assertThat(finding.source()).isEqualTo("bad.json");
            assertThat(finding.location().line()).isEqualTo(1);
            if (input.column() != null) {
                assertThat(input.column()).isPositive();
                assertThat(finding.location().column()).isEqualTo(input.column());
            }
            assertThat(finding.message()).isNotBlank().doesNotEndWith(".");
        });
    }
}
