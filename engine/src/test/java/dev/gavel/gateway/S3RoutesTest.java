package dev.gavel.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.eval.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S3 REST requests, in path style and in virtual-hosted style on AWS's and a configured
 * endpoint, and the operation, action, resource and condition keys each maps to; and the
 * requests the mapping refuses.
 */
class S3RoutesTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    static final Authentication ANONYMOUS = new Authentication(Authentication.Kind.ANONYMOUS, null, NOW);
    static final S3Routes ROUTES = S3Routes.create("s3.localhost");

    static final String BUCKET = "photos";
    static final String RAW_KEY = "2026/cat%20picture+1%2B2.jpg";
    static final String BUCKET_ARN = "arn:aws:s3:::photos";
    static final String OBJECT_ARN = "arn:aws:s3:::photos/2026/cat picture 1+2.jpg";

    /**
     * One request to the bucket {@code photos} ({@code key} empty) or its object, and what it maps to.
     *
     * @param keys the {@code s3:} keys the request carries beyond {@code x-amz-content-sha256};
     *     a multivalued key's values joined by commas
     */
    record Case(String method, String rawKey, String query, Map<String, String> headers, String operation,
            String action, Map<String, String> keys) {

        String resource() {
            return rawKey.isEmpty() ? BUCKET_ARN : OBJECT_ARN;
        }

        @Override
        public String toString() {
            return method + " " + (rawKey.isEmpty() ? "bucket" : "object") + (query.isEmpty() ? "" : "?" + query)
                    + (headers.isEmpty() ? "" : " " + headers.keySet()) + " -> " + operation;
        }
    }

    /** A case builder: the request first, then what it maps to. */
    static final class On {
        private final String method;
        private final String rawKey;
        private String query = "";
        private final Map<String, String> headers = new LinkedHashMap<>();

        private On(String method, String rawKey) {
            this.method = method;
            this.rawKey = rawKey;
        }

        On query(String value) {
            query = value;
            return this;
        }

        On header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Case is(String operation, String action, String... keyValues) {
            Map<String, String> keys = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                keys.put(keyValues[i], keyValues[i + 1]);
            }
            return new Case(method, rawKey, query, Map.copyOf(headers), operation, action, keys);
        }
    }

    static On bucket(String method) {
        return new On(method, "");
    }

    static On object(String method) {
        return new On(method, RAW_KEY);
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                bucket("PUT").header("x-amz-acl", "private").header("x-amz-object-ownership", "BucketOwnerEnforced")
                        .is("CreateBucket", "s3:CreateBucket", "s3:x-amz-acl", "private",
                                "s3:x-amz-object-ownership", "BucketOwnerEnforced"),
                bucket("DELETE").is("DeleteBucket", "s3:DeleteBucket"),
                bucket("HEAD").is("HeadBucket", "s3:ListBucket"),
                bucket("GET").query("prefix=reports%2F2026&delimiter=%2F&max-keys=100&marker=a")
                        .is("ListObjects", "s3:ListBucket", "s3:prefix", "reports/2026", "s3:delimiter", "/",
                                "s3:max-keys", "100"),
                bucket("GET").query("list-type=2&prefix=a+b&continuation-token=xyz&start-after=k")
                        .is("ListObjectsV2", "s3:ListBucket", "s3:prefix", "a b"),
                bucket("GET").query("versions&prefix=logs%2F&key-marker=k&version-id-marker=v&max-keys=5")
                        .is("ListObjectVersions", "s3:ListBucketVersions", "s3:prefix", "logs/", "s3:max-keys", "5"),
                bucket("GET").query("uploads&prefix=big&max-uploads=10")
                        .is("ListMultipartUploads", "s3:ListBucketMultipartUploads"),
                bucket("GET").query("location").is("GetBucketLocation", "s3:GetBucketLocation"),
                bucket("GET").query("acl").is("GetBucketAcl", "s3:GetBucketAcl"),
                bucket("PUT").query("acl").header("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")
                        .header("x-amz-grant-write-acp", "id=\"abc\"").is("PutBucketAcl", "s3:PutBucketAcl",
                                "s3:x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
                                "s3:x-amz-grant-write-acp", "id=\"abc\""),
                bucket("GET").query("policy").is("GetBucketPolicy", "s3:GetBucketPolicy"),
                bucket("PUT").query("policy").is("PutBucketPolicy", "s3:PutBucketPolicy"),
                bucket("DELETE").query("policy").is("DeleteBucketPolicy", "s3:DeleteBucketPolicy"),
                bucket("GET").query("policyStatus").is("GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"),
                bucket("GET").query("tagging").is("GetBucketTagging", "s3:GetBucketTagging"),
                bucket("PUT").query("tagging").is("PutBucketTagging", "s3:PutBucketTagging"),
                bucket("DELETE").query("tagging").is("DeleteBucketTagging", "s3:PutBucketTagging"),
                bucket("GET").query("versioning").is("GetBucketVersioning", "s3:GetBucketVersioning"),
                bucket("PUT").query("versioning").is("PutBucketVersioning", "s3:PutBucketVersioning"),
                bucket("GET").query("cors").is("GetBucketCors", "s3:GetBucketCORS"),
                bucket("PUT").query("cors").is("PutBucketCors", "s3:PutBucketCORS"),
                bucket("DELETE").query("cors").is("DeleteBucketCors", "s3:PutBucketCORS"),
                bucket("GET").query("lifecycle").is("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
                bucket("PUT").query("lifecycle").is("PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
                bucket("DELETE").query("lifecycle").is("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"),
                bucket("GET").query("encryption").is("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
                bucket("PUT").query("encryption").is("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
                bucket("DELETE").query("encryption").is("DeleteBucketEncryption", "s3:PutEncryptionConfiguration"),
                bucket("GET").query("website").is("GetBucketWebsite", "s3:GetBucketWebsite"),
                bucket("PUT").query("website").is("PutBucketWebsite", "s3:PutBucketWebsite"),
                bucket("DELETE").query("website").is("DeleteBucketWebsite", "s3:DeleteBucketWebsite"),
                bucket("GET").query("publicAccessBlock").is("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
                bucket("PUT").query("publicAccessBlock").is("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
                bucket("DELETE").query("publicAccessBlock")
                        .is("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
                bucket("GET").query("ownershipControls")
                        .is("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
                bucket("PUT").query("ownershipControls")
                        .is("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
                bucket("DELETE").query("ownershipControls")
                        .is("DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
                bucket("GET").query("notification")
                        .is("GetBucketNotificationConfiguration", "s3:GetBucketNotification"),
                bucket("PUT").query("notification")
                        .is("PutBucketNotificationConfiguration", "s3:PutBucketNotification"),
                bucket("GET").query("logging").is("GetBucketLogging", "s3:GetBucketLogging"),
                bucket("PUT").query("logging").is("PutBucketLogging", "s3:PutBucketLogging"),
                bucket("GET").query("object-lock")
                        .is("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
                bucket("PUT").query("object-lock")
                        .is("PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"),
                bucket("GET").query("accelerate")
                        .is("GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"),
                bucket("PUT").query("accelerate")
                        .is("PutBucketAccelerateConfiguration", "s3:PutAccelerateConfiguration"),
                bucket("GET").query("requestPayment").is("GetBucketRequestPayment", "s3:GetBucketRequestPayment"),
                bucket("PUT").query("requestPayment").is("PutBucketRequestPayment", "s3:PutBucketRequestPayment"),
                bucket("GET").query("replication").is("GetBucketReplication", "s3:GetReplicationConfiguration"),
                bucket("PUT").query("replication").is("PutBucketReplication", "s3:PutReplicationConfiguration"),
                bucket("DELETE").query("replication")
                        .is("DeleteBucketReplication", "s3:PutReplicationConfiguration"),
                bucket("GET").query("analytics")
                        .is("ListBucketAnalyticsConfigurations", "s3:GetAnalyticsConfiguration"),
                bucket("GET").query("inventory&continuation-token=t")
                        .is("ListBucketInventoryConfigurations", "s3:GetInventoryConfiguration"),
                bucket("GET").query("metrics").is("ListBucketMetricsConfigurations", "s3:GetMetricsConfiguration"),
                bucket("GET").query("intelligent-tiering").is("ListBucketIntelligentTieringConfigurations",
                        "s3:GetIntelligentTieringConfiguration"),
                bucket("GET").query("analytics&id=daily")
                        .is("GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration"),
                bucket("PUT").query("analytics&id=daily")
                        .is("PutBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"),
                bucket("DELETE").query("analytics&id=daily")
                        .is("DeleteBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"),
                bucket("GET").query("inventory&id=weekly")
                        .is("GetBucketInventoryConfiguration", "s3:GetInventoryConfiguration"),
                bucket("PUT").query("inventory&id=weekly")
                        .is("PutBucketInventoryConfiguration", "s3:PutInventoryConfiguration"),
                bucket("DELETE").query("inventory&id=weekly")
                        .is("DeleteBucketInventoryConfiguration", "s3:PutInventoryConfiguration"),
                bucket("GET").query("metrics&id=all").is("GetBucketMetricsConfiguration", "s3:GetMetricsConfiguration"),
                bucket("PUT").query("metrics&id=all").is("PutBucketMetricsConfiguration", "s3:PutMetricsConfiguration"),
                bucket("DELETE").query("metrics&id=all")
                        .is("DeleteBucketMetricsConfiguration", "s3:PutMetricsConfiguration"),
                bucket("GET").query("intelligent-tiering&id=t")
                        .is("GetBucketIntelligentTieringConfiguration", "s3:GetIntelligentTieringConfiguration"),
                bucket("PUT").query("intelligent-tiering&id=t")
                        .is("PutBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"),
                bucket("DELETE").query("intelligent-tiering&id=t")
                        .is("DeleteBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"),

                object("GET").query("response-content-type=text%2Fplain&partNumber=1").is("GetObject", "s3:GetObject"),
                object("GET").query("versionId=v1%2Bx").is("GetObject", "s3:GetObjectVersion", "s3:versionid", "v1+x"),
                object("HEAD").is("HeadObject", "s3:GetObject"),
                object("HEAD").query("versionId=v2").is("HeadObject", "s3:GetObjectVersion", "s3:versionid", "v2"),
                object("PUT").header("x-amz-acl", "bucket-owner-full-control")
                        .header("x-amz-server-side-encryption", "aws:kms")
                        .header("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111122223333:key/k1")
                        .header("x-amz-storage-class", "STANDARD_IA")
                        .header("x-amz-website-redirect-location", "/elsewhere")
                        .header("x-amz-object-lock-mode", "GOVERNANCE")
                        .header("x-amz-object-lock-retain-until-date", "2027-01-01T00:00:00Z")
                        .header("x-amz-object-lock-legal-hold", "ON")
                        .header("x-amz-tagging", "team=payments&cost%20centre=42+b")
                        .header("If-None-Match", "*")
                        .is("PutObject", "s3:PutObject", "s3:x-amz-acl", "bucket-owner-full-control",
                                "s3:x-amz-server-side-encryption", "aws:kms",
                                "s3:x-amz-server-side-encryption-aws-kms-key-id",
                                "arn:aws:kms:us-east-1:111122223333:key/k1",
                                "s3:x-amz-storage-class", "STANDARD_IA",
                                "s3:x-amz-website-redirect-location", "/elsewhere",
                                "s3:object-lock-mode", "GOVERNANCE",
                                "s3:object-lock-retain-until-date", "2027-01-01T00:00:00Z",
                                "s3:object-lock-legal-hold", "ON", "s3:ObjectCreationOperation", "PutObject",
                                "s3:RequestObjectTag/team", "payments", "s3:RequestObjectTag/cost centre", "42 b",
                                "s3:RequestObjectTagKeys", "team,cost centre", "s3:if-none-match", "*"),
                object("PUT").header("x-amz-copy-source", "/source-bucket/dir/my%20file.txt?versionId=v9")
                        .header("x-amz-metadata-directive", "REPLACE").header("If-Match", "\"etag\"")
                        .header("x-amz-server-side-encryption-customer-algorithm", "AES256")
                        .is("CopyObject", "s3:PutObject", "s3:x-amz-copy-source", "source-bucket/dir/my file.txt?versionId=v9",
                                "s3:x-amz-metadata-directive", "REPLACE", "s3:if-match", "\"etag\"",
                                "s3:x-amz-server-side-encryption-customer-algorithm", "AES256",
                                "s3:ObjectCreationOperation", "CopyObject"),
                object("DELETE").is("DeleteObject", "s3:DeleteObject"),
                object("DELETE").query("versionId=v3")
                        .is("DeleteObject", "s3:DeleteObjectVersion", "s3:versionid", "v3"),
                object("POST").query("uploads").header("x-amz-grant-full-control", "id=\"owner\"")
                        .header("x-amz-server-side-encryption", "AES256")
                        .is("CreateMultipartUpload", "s3:PutObject", "s3:x-amz-grant-full-control", "id=\"owner\"",
                                "s3:x-amz-server-side-encryption", "AES256",
                                "s3:ObjectCreationOperation", "CreateMultipartUpload"),
                object("PUT").query("partNumber=2&uploadId=u1")
                        .is("UploadPart", "s3:PutObject", "s3:ObjectCreationOperation", "UploadPart"),
                object("PUT").query("partNumber=3&uploadId=u1").header("x-amz-copy-source", "source-bucket/big.bin")
                        .is("UploadPartCopy", "s3:PutObject", "s3:x-amz-copy-source", "source-bucket/big.bin",
                                "s3:ObjectCreationOperation", "UploadPartCopy"),
                object("POST").query("uploadId=u1").header("If-None-Match", "*")
                        .is("CompleteMultipartUpload", "s3:PutObject", "s3:if-none-match", "*",
                                "s3:ObjectCreationOperation", "CompleteMultipartUpload"),
                object("DELETE").query("uploadId=u1").is("AbortMultipartUpload", "s3:AbortMultipartUpload"),
                object("GET").query("uploadId=u1&max-parts=10&part-number-marker=2")
                        .is("ListParts", "s3:ListMultipartUploadParts"),
                object("GET").query("acl").is("GetObjectAcl", "s3:GetObjectAcl"),
                object("GET").query("acl&versionId=v4")
                        .is("GetObjectAcl", "s3:GetObjectVersionAcl", "s3:versionid", "v4"),
                object("PUT").query("acl").header("x-amz-acl", "public-read")
                        .is("PutObjectAcl", "s3:PutObjectAcl", "s3:x-amz-acl", "public-read"),
                object("PUT").query("acl&versionId=v5").header("x-amz-grant-read", "id=\"reader\"")
                        .is("PutObjectAcl", "s3:PutObjectVersionAcl", "s3:x-amz-grant-read", "id=\"reader\"",
                                "s3:versionid", "v5"),
                object("GET").query("tagging").is("GetObjectTagging", "s3:GetObjectTagging"),
                object("GET").query("tagging&versionId=v6")
                        .is("GetObjectTagging", "s3:GetObjectVersionTagging", "s3:versionid", "v6"),
                object("PUT").query("tagging").is("PutObjectTagging", "s3:PutObjectTagging"),
                object("PUT").query("versionId=v7&tagging")
                        .is("PutObjectTagging", "s3:PutObjectVersionTagging", "s3:versionid", "v7"),
                object("DELETE").query("tagging").is("DeleteObjectTagging", "s3:DeleteObjectTagging"),
                object("DELETE").query("tagging&versionId=v8")
                        .is("DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:versionid", "v8"),
                object("GET").query("attributes").is("GetObjectAttributes", "s3:GetObjectAttributes"),
                object("GET").query("attributes&versionId=v9")
                        .is("GetObjectAttributes", "s3:GetObjectVersionAttributes", "s3:versionid", "v9"),
                object("GET").query("torrent").is("GetObjectTorrent", "s3:GetObjectTorrent"),
                object("GET").query("torrent&versionId=v10")
                        .is("GetObjectTorrent", "s3:GetObjectVersionTorrent", "s3:versionid", "v10"),
                object("GET").query("retention").is("GetObjectRetention", "s3:GetObjectRetention"),
                object("PUT").query("retention&versionId=v11").is("PutObjectRetention", "s3:PutObjectRetention"),
                object("GET").query("legal-hold").is("GetObjectLegalHold", "s3:GetObjectLegalHold"),
                object("PUT").query("legal-hold").is("PutObjectLegalHold", "s3:PutObjectLegalHold"),
                object("POST").query("restore&versionId=v12").is("RestoreObject", "s3:RestoreObject")));
        return cases;
    }

    /** The hosts and paths one case is sent as: path style on two hosts, virtual-hosted on two endpoints. */
    static Stream<Arguments> addressed() {
        return cases().stream().flatMap(c -> Stream.of(
                Arguments.of("path style, AWS", c, "s3.eu-west-1.amazonaws.com", "/" + BUCKET + "/" + c.rawKey()),
                Arguments.of("path style, any host", c, "gateway.internal:8443", "/" + BUCKET + "/" + c.rawKey()),
                Arguments.of("virtual-hosted, AWS", c, BUCKET + ".s3.dualstack.eu-west-1.amazonaws.com",
                        "/" + c.rawKey()),
                Arguments.of("virtual-hosted, configured", c, BUCKET + ".s3.localhost:9000", "/" + c.rawKey())));
    }

    @ParameterizedTest(name = "{1}, {0}")
    @MethodSource("addressed")
    void mapsTheOperation(String style, Case c, String host, String path) throws GatewayException {
        GatewayRequest request = request(c.method(), host, path, c.query(), c.headers());

        MappedRequest mapped = ROUTES.map(request, ANONYMOUS);

        assertThat(mapped.operation()).isEqualTo(c.operation());
        assertThat(mapped.action()).isEqualTo(c.action());
        assertThat(mapped.resource()).isEqualTo(c.resource());
        assertThat(keys(mapped.context())).isEqualTo(c.keys());
    }

    @Test
    void theCasesCoverEveryOperation() {
        Set<String> covered = cases().stream().map(c -> c.operation() + " " + c.action()).collect(Collectors.toSet());
        for (S3Operation operation : S3RouteTable.operations()) {
            if (operation.scope() == S3Operation.Scope.SERVICE) {
                continue; // listsBucketsOnTheServiceItself
            }
            assertThat(covered).as(operation.name()).contains(operation.operation() + " " + operation.action());
        }
    }

    @Test
    void operationsThatS3ChecksTwiceRequireTheSecondPermissionToo() throws GatewayException {
        MappedRequest copy = ROUTES.map(request("PUT", "s3.localhost", "/dst/copy.txt", "",
                Map.of("x-amz-copy-source", "/src/reports/q%203.csv")), ANONYMOUS);
        assertThat(copy.action()).isEqualTo("s3:PutObject");
        assertThat(copy.alsoRequires()).containsExactly(
                new MappedRequest.Requirement("s3:GetObject", "arn:aws:s3:::src/reports/q 3.csv"));

        MappedRequest versioned = ROUTES.map(request("PUT", "s3.localhost", "/dst/copy.txt",
                "partNumber=2&uploadId=u1", Map.of("x-amz-copy-source", "src/a.txt?versionId=v7")), ANONYMOUS);
        assertThat(versioned.operation()).isEqualTo("UploadPartCopy");
        assertThat(versioned.alsoRequires()).containsExactly(
                new MappedRequest.Requirement("s3:GetObjectVersion", "arn:aws:s3:::src/a.txt"));

        MappedRequest upload = ROUTES.map(request("PUT", "s3.localhost", "/dst/a.txt", "",
                Map.of("x-amz-acl", "public-read", "x-amz-tagging", "team=web")), ANONYMOUS);
        assertThat(upload.alsoRequires()).containsExactly(
                new MappedRequest.Requirement("s3:PutObjectAcl", "arn:aws:s3:::dst/a.txt"),
                new MappedRequest.Requirement("s3:PutObjectTagging", "arn:aws:s3:::dst/a.txt"));
        assertThat(ROUTES.map(request("PUT", "s3.localhost", "/dst/a.txt", "", Map.of()), ANONYMOUS).alsoRequires())
                .isEmpty();

        MappedRequest attributes = ROUTES.map(request("GET", "s3.localhost", "/dst/a.txt", "attributes",
                Map.of("x-amz-object-attributes", "ETag")), ANONYMOUS);
        assertThat(attributes.action()).isEqualTo("s3:GetObjectAttributes");
        assertThat(attributes.alsoRequires()).containsExactly(
                new MappedRequest.Requirement("s3:GetObject", "arn:aws:s3:::dst/a.txt"));
    }

    @Test
    void listsBucketsOnTheServiceItself() throws GatewayException {
        for (String host : List.of("s3.amazonaws.com", "s3.us-west-2.amazonaws.com", "s3.localhost", "127.0.0.1:9000")) {
            MappedRequest mapped = ROUTES.map(request("GET", host, "/", "max-buckets=10", Map.of()), ANONYMOUS);
            assertThat(mapped.operation()).as(host).isEqualTo("ListBuckets");
            assertThat(mapped.action()).isEqualTo("s3:ListAllMyBuckets");
            assertThat(mapped.resource()).isEqualTo("*");
            assertThat(mapped.context().size()).isZero();
        }
    }

    @Test
    void readsTheBucketFromTheHostOnlyUnderAnS3Endpoint() throws GatewayException {
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("photos.s3.amazonaws.com", "arn:aws:s3:::photos/abc/b");
        hosts.put("my.dotted.bucket.s3.us-gov-west-1.amazonaws.com", "arn:aws:s3:::my.dotted.bucket/abc/b");
        hosts.put("photos.s3-us-west-2.amazonaws.com", "arn:aws:s3:::photos/abc/b");
        hosts.put("photos.s3-fips.dualstack.us-east-1.amazonaws.com", "arn:aws:s3:::photos/abc/b");
        hosts.put("photos.s3.cn-north-1.amazonaws.com.cn", "arn:aws:s3:::photos/abc/b");
        hosts.put("PHOTOS.S3.LOCALHOST", "arn:aws:s3:::photos/abc/b");
        hosts.put("s3.localhost", "arn:aws:s3:::abc/b");
        hosts.put("photos.localhost", "arn:aws:s3:::abc/b");
        hosts.put("s3.us-east-1.amazonaws.com", "arn:aws:s3:::abc/b");
        hosts.put("[::1]:9000", "arn:aws:s3:::abc/b");
        for (Map.Entry<String, String> host : hosts.entrySet()) {
            MappedRequest mapped = ROUTES.map(request("GET", host.getKey(), "/abc/b", "", Map.of()), ANONYMOUS);
            assertThat(mapped.resource()).as(host.getKey()).isEqualTo(host.getValue());
        }
        MappedRequest local = S3Routes.create("localhost").map(request("GET", "photos.localhost", "/abc/b", "", Map.of()),
                ANONYMOUS);
        assertThat(local.resource()).isEqualTo("arn:aws:s3:::photos/abc/b");
    }

    @Test
    void keysAreDecodedAsS3DecodesThemAndNeverNormalised() throws GatewayException {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("/photos/a/../b", "arn:aws:s3:::photos/a/../b");
        paths.put("/photos//double", "arn:aws:s3:::photos//double");
        paths.put("/photos/trailing/", "arn:aws:s3:::photos/trailing/");
        paths.put("/photos/%E6%97%A5%E6%9C%AC/%2A%3F", "arn:aws:s3:::photos/\u65e5\u672c/*?");
        paths.put("/photos/a%2Fb", "arn:aws:s3:::photos/a/b");
        paths.put("/photos/a+b%2Bc", "arn:aws:s3:::photos/a b+c");
        for (Map.Entry<String, String> path : paths.entrySet()) {
            MappedRequest mapped = ROUTES.map(request("GET", "gateway", path.getKey(), "", Map.of()), ANONYMOUS);
            assertThat(mapped.resource()).as(path.getKey()).isEqualTo(path.getValue());
        }
    }

    @Test
    void anotherPartitionNamesItsArns() throws GatewayException {
        S3Routes china = S3Routes.create().inPartition("aws-cn");
        assertThat(china.map(request("GET", "photos.s3.cn-north-1.amazonaws.com.cn", "/k", "", Map.of()), ANONYMOUS)
                .resource()).isEqualTo("arn:aws-cn:s3:::photos/k");
        assertThatThrownBy(() -> china.inPartition("AWS CN")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'AWS CN'");
        assertThatThrownBy(() -> S3Routes.create("http://s3.localhost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http://s3.localhost'");
    }

    // ---- keys from the authentication

    @Test
    void aHeaderSignedRequestSaysSo() throws GatewayException {
        Authentication header = new Authentication(Authentication.Kind.HEADER, NOW.minusMillis(1500), NOW);
        MappedRequest mapped = ROUTES.map(request("GET", "gateway", "/photos/k", "",
                Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD")), header);
        assertThat(keys(mapped.context())).containsExactlyInAnyOrderEntriesOf(Map.of("s3:authType", "REST-HEADER",
                "s3:signatureversion", "AWS4-HMAC-SHA256", "s3:signatureAge", "1500",
                "s3:x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
    }

    @Test
    void aPresignedRequestSaysSo() throws GatewayException {
        Authentication presigned = new Authentication(Authentication.Kind.PRESIGNED, NOW.minusSeconds(60), NOW);
        MappedRequest mapped = ROUTES.map(request("GET", "gateway", "/photos/k", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIA%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T102900Z"
                + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&X-Amz-Security-Token=t",
                Map.of()), presigned);
        assertThat(mapped.action()).isEqualTo("s3:GetObject");
        assertThat(keys(mapped.context())).containsExactlyInAnyOrderEntriesOf(Map.of("s3:authType",
                "REST-QUERY-STRING", "s3:signatureversion", "AWS4-HMAC-SHA256", "s3:signatureAge", "60000"));
    }

    // ---- keys from the body

    @Test
    void putObjectTaggingReadsItsTagsFromTheBodyWhenGiven() throws GatewayException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging xmlns=\"http://s3.amazonaws.com/doc/"
                + "2006-03-01/\"><TagSet><Tag><Key>team</Key><Value>payments</Value></Tag><Tag><Key>tier</Key>"
                + "<Value></Value></Tag></TagSet></Tagging>";
        MappedRequest mapped = ROUTES.map(request("PUT", "gateway", "/photos/k", "tagging", Map.of(),
                xml.getBytes(UTF_8)), ANONYMOUS);
        assertThat(keys(mapped.context())).containsExactlyInAnyOrderEntriesOf(Map.of("s3:RequestObjectTag/team",
                "payments", "s3:RequestObjectTag/tier", "", "s3:RequestObjectTagKeys", "team,tier"));

        MappedRequest withoutBody = ROUTES.map(request("PUT", "gateway", "/photos/k", "tagging", Map.of()), ANONYMOUS);
        assertThat(withoutBody.context().size()).isZero();
    }

    @Test
    void createBucketReadsItsRegionFromTheBodyWhenGiven() throws GatewayException {
        String xml = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>";
        MappedRequest mapped = ROUTES.map(request("PUT", "gateway", "/photos", "", Map.of(), xml.getBytes(UTF_8)),
                ANONYMOUS);
        assertThat(keys(mapped.context())).isEqualTo(Map.of("s3:locationconstraint", "eu-west-1"));
        assertThat(ROUTES.map(request("PUT", "gateway", "/photos", "", Map.of(), new byte[0]), ANONYMOUS).context()
                .size()).isZero();
    }

    @Test
    void aBodyThatIsNotTheExpectedXmlIsRefused() {
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos/k", "tagging", Map.of(),
                "<Tagging><TagSet><Tag>".getBytes(UTF_8)), ANONYMOUS), "MalformedXML", 400, "well-formed");
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos", "", Map.of(),
                "<Tagging/>".getBytes(UTF_8)), ANONYMOUS), "MalformedXML", 400, "Tagging, not CreateBucketConfiguration");
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos/k", "tagging", Map.of(),
                "<!DOCTYPE x [<!ENTITY e \"e\">]><Tagging/>".getBytes(UTF_8)), ANONYMOUS), "MalformedXML", 400, "");
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos/k", "tagging", Map.of(),
                ("<Tagging><TagSet><Tag><Key>a</Key></Tag><Tag><Key>a</Key></Tag></TagSet></Tagging>")
                        .getBytes(UTF_8)), ANONYMOUS), "InvalidTag", 400, "'a'");
    }

    // ---- refusals

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Photos", "photo_s", "-photos", "photos-", "pho..tos", "192.168.1.2",
        "xn--photos", "photos-s3alias", "photos--x-s3",
        "a-very-long-bucket-name-that-goes-on-and-on-past-sixty-three-chars"})
    void refusesABucketNameS3Would(String bucket) {
        assertRefused(() -> ROUTES.map(request("GET", "gateway", "/" + bucket + "/k", "", Map.of()), ANONYMOUS),
                "InvalidBucketName", 400, "'" + bucket + "'");
        if (bucket.equals(bucket.toLowerCase(Locale.ROOT))) { // a host name's case does not matter
            assertRefused(() -> ROUTES.map(request("GET", bucket + ".s3.localhost", "/k", "", Map.of()), ANONYMOUS),
                    "InvalidBucketName", 400, "'" + bucket + "'");
        }
    }

    static Stream<Arguments> unmapped() {
        return Stream.of(
                Arguments.of("POST", "/photos", "delete", "DeleteObjects"),
                Arguments.of("POST", "/photos", "", "POST on a bucket"),
                Arguments.of("GET", "/photos/k", "select&select-type=2", "'select'"),
                Arguments.of("GET", "/photos", "website-config", "'website-config'"),
                Arguments.of("GET", "/photos/k", "x-amz-acl=public-read", "'x-amz-acl'"),
                Arguments.of("PATCH", "/photos/k", "", "PATCH on an object"),
                Arguments.of("PUT", "/", "", "PUT on the service"),
                Arguments.of("GET", "/", "acl", "GET on the service (no bucket) with ?acl"),
                Arguments.of("DELETE", "/photos", "versioning", "DELETE on a bucket with ?versioning"),
                Arguments.of("GET", "/photos/k", "versions", "GET on an object with ?versions"),
                Arguments.of("GET", "/photos", "acl&policy", "'acl' and 'policy'"));
    }

    @ParameterizedTest(name = "{0} {1}?{2}")
    @MethodSource("unmapped")
    void refusesWhatItDoesNotMap(String method, String path, String query, String named) {
        assertRefused(() -> ROUTES.map(request(method, "gateway", path, query, Map.of()), ANONYMOUS),
                "NotImplemented", 501, named);
    }

    @Test
    void refusesAMalformedRequest() {
        assertRefused(() -> ROUTES.map(request("GET", "gateway", "/photos/%E6%97", "", Map.of()), ANONYMOUS),
                "InvalidURI", 400, "UTF-8");
        assertRefused(() -> ROUTES.map(request("GET", "gateway", "/photos/100%", "", Map.of()), ANONYMOUS),
                "InvalidURI", 400, "UTF-8");
        assertRefused(() -> ROUTES.map(request("GET", "gateway", "/photos", "prefix=%zz", Map.of()), ANONYMOUS),
                "InvalidURI", 400, "'prefix=%zz'");
        assertRefused(() -> ROUTES.map(request("GET", "gateway", "/photos", "prefix=a&prefix=b", Map.of()),
                ANONYMOUS), "InvalidArgument", 400, "'prefix' is given more than once");
        assertRefused(() -> ROUTES.map(request("GET", "gateway", "/photos", "list-type=3", Map.of()), ANONYMOUS),
                "InvalidArgument", 400, "'3'");
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos/k", "uploadId=u", Map.of()), ANONYMOUS),
                "InvalidArgument", 400, "partNumber");
        assertRefused(() -> ROUTES.map(request("DELETE", "gateway", "/photos", "inventory", Map.of()), ANONYMOUS),
                "InvalidArgument", 400, "DELETE ?inventory needs the id");
        assertRefused(() -> ROUTES.map(request("GET", "gateway", "/photos/" + "k".repeat(1025), "", Map.of()),
                ANONYMOUS), "KeyTooLongError", 400, "1024");
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos/k", "",
                Map.of("x-amz-copy-source", "just-a-bucket")), ANONYMOUS), "InvalidArgument", 400, "'just-a-bucket'");
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos/k", "",
                Map.of("x-amz-tagging", "a=1&a=2")), ANONYMOUS), "InvalidTag", 400, "'a'");
        assertRefused(() -> ROUTES.map(request("PUT", "gateway", "/photos/k", "",
                Map.of("x-amz-tagging", "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11")), ANONYMOUS), "BadRequest", 400,
                "greater than 10");
        Map<String, List<String>> twoAcls = Map.of("x-amz-acl", List.of("private", "public-read"));
        assertRefused(() -> ROUTES.map(new GatewayRequest("PUT", "https", "gateway", "/photos/k", "", twoAcls, null,
                null), ANONYMOUS), "InvalidArgument", 400, "x-amz-acl is given more than once");
        assertRefused(() -> ROUTES.map(request("GET", "ap-1-111122223333.s3-accesspoint.us-east-1.amazonaws.com",
                "/k", "", Map.of()), ANONYMOUS), "NotImplemented", 501, "access point");
    }

    // ---- helpers

    static GatewayRequest request(String method, String host, String path, String query, Map<String, String> headers) {
        return request(method, host, path, query, headers, null);
    }

    static GatewayRequest request(String method, String host, String path, String query, Map<String, String> headers,
            byte[] body) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return new GatewayRequest(method, "https", host, path, query, multi, "198.51.100.7", body);
    }

    /** The context's keys, a multivalued key's values joined by commas. */
    static Map<String, String> keys(RequestContext context) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (RequestContext.Entry entry : context.entries()) {
            keys.put(entry.key(), String.join(",", entry.values()));
        }
        return keys;
    }

    static void assertRefused(ThrowingCallable call, String code, int status, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
