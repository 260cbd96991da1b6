package dev.gavel.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobAndArnsTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "*|anything|true",
        "*|''|true",
        "s3:Get*|s3:GetObject|true",
        "s3:Get*|s3:PutObject|false",
        "s3:Get?bject|s3:GetObject|true",
        "s3:Get?bject|s3:GetObbject|false",
        "a*b*c|aXXbYYc|true",
        "a*b*c|aXXbYY|false",
        "*Object|s3:GetObject|true",
        "**|x|true",
        "?|''|false",
    })
    void globMatchesStarsAndQuestionMarks(String pattern, String text, boolean expected) {
        assertThat(Glob.matches(pattern, text, false)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "arn:aws:s3:::bucket/*|arn:aws:s3:::bucket/a/b/c.txt|true",
        "arn:aws:s3:::bucket/*|arn:aws:s3:::Bucket/a|false",
        "arn:aws:s3:::bucket/a?c|arn:aws:s3:::bucket/abc|true",
        "arn:aws:logs:us-east-1:111122223333:log-group:app:*|arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:s1|true",
        "arn:aws:ec2:*:111122223333:instance/*|arn:aws:ec2:eu-west-1:111122223333:instance/i-1|true",
        "arn:aws:ec2:*:111122223333:instance/*|arn:aws:ec2:eu-west-1:444455556666:instance/i-1|false",
        "arn:aws:logs:us-east-1:111122223333:*|arn:aws:logs:us-east-1:111122223333:log-group:x:log-stream:y|true",
        "arn:aws:logs:us-east-1:*|arn:aws:logs:us-east-1:111122223333:log-group:x|true",
        "arn:aws:logs:us-east-1|arn:aws:logs:us-east-1:111122223333:log-group:x|false",
        "arn:AWS:S3:::bucket|arn:aws:s3:::bucket|true",
        "arn:aws:iam::111122223333:user/Bob|arn:aws:iam::111122223333:user/bob|false",
        "arn:aws:s3:::bucket|*|false",
    })
    void resourcePatternsMatchPartByPart(String pattern, String arn, boolean expected) {
        assertThat(Arns.resourceMatches(Glob.compile(pattern), arn)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "arn:aws:iam::*:role/Admin*|arn:aws:iam::111122223333:role/AdminOps|true",
        "arn:aws:iam::*:role/admin*|arn:aws:iam::111122223333:role/AdminOps|false",
        "arn:aws:sns:*:*:topic|arn:aws:sns:us-east-1:111122223333:topic|true",
        "arn:aws:sns:*:*:*|arn:aws:sns:us-east-1:111122223333:topic:sub-id|true",
        "*|arn:aws:sns:us-east-1:111122223333:topic|false",
        "arn:aws:sns:*:*:topic|not-an-arn|false",
    })
    void arnConditionsMatchSixPartsCaseSensitively(String pattern, String arn, boolean expected) {
        assertThat(Arns.conditionMatches(Glob.compile(pattern), arn)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1} in {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/8|10.255.1.2|true",
        "10.0.0.0/8|11.0.0.1|false",
        "192.0.2.7|192.0.2.7|true",
        "192.0.2.7|192.0.2.8|false",
        "0.0.0.0/0|203.0.113.9|true",
        "2001:db8::/32|2001:DB8:0:0:1::1|true",
        "2001:db8::/32|2001:db9::1|false",
        "::/0|fe80::1|true",
        "::/0|10.0.0.1|false",
        "10.0.0.0/8|::ffff:10.0.0.1|false",
        "2001:db8::1|2001:0db8:0000:0000:0000:0000:0000:0001|true",
        "::ffff:192.0.2.0/120|::ffff:192.0.2.77|true",
    })
    void ipRangesContainAddressesOfTheirFamily(String range, String address, boolean expected) {
        assertThat(IpAddresses.contains(range, address)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} / {1} is malformed")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/33|10.0.0.1",
        "10.0.0/8|10.0.0.1",
        "10.0.0.0/8|10.0.0.256",
        "10.0.0.0/8|example.com",
        "2001:db8::/129|2001:db8::1",
        "1::2::3/64|1::2",
        "10.0.0.0/x|10.0.0.1",
    })
    void malformedRangesOrAddressesMatchNothing(String range, String address) {
        assertThat(IpAddresses.contains(range, address)).isNull();
    }
}
