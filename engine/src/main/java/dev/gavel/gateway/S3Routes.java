package dev.gavel.gateway;

import dev.gavel.eval.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gavel's mapping of the Amazon S3 REST API: turns an S3 request into the IAM action S3
 * authorizes it as, the bucket or object ARN it acts on, and the {@code s3:} condition keys S3
 * fills from the request, after AWS's "Actions, resources, and condition keys for Amazon S3" and
 * the S3 API Reference. Objects, versions, copies, multipart uploads, listings, buckets and their
 * configuration subresources are mapped; {@code GET /} on no bucket is {@code ListBuckets}.
 *
 * <p>Both addressing styles are read: virtual-hosted ({@code photos.s3.us-east-1.amazonaws.com/key})
 * for a host under an S3 endpoint, path style ({@code /photos/key}) for any other host. The S3
 * endpoints are AWS's ({@code s3.amazonaws.com}, {@code s3.REGION.amazonaws.com},
 * {@code s3.dualstack.REGION.amazonaws.com}, their FIPS, dashed and China forms) and those given
 * to {@link #create(String...)}, such as {@code s3.localhost}; another {@code amazonaws.com} host
 * (an access point's, a website's) is refused rather than misread as path style. Bucket names
 * are checked against S3's rules; keys are percent-decoded as S3 decodes them (a raw {@code +} is
 * a space) into the ARN, {@code arn:aws:s3:::photos/key}, and never normalised.
 *
 * <p>Some operations need a second permission, as S3 checks them, and are allowed only when
 * both are ({@link MappedRequest#alsoRequires()}): {@code CopyObject} and {@code UploadPartCopy}
 * read their source ({@code s3:GetObject}, or {@code s3:GetObjectVersion} for a versioned
 * source); an upload that sets an ACL or tags needs {@code s3:PutObjectAcl} or
 * {@code s3:PutObjectTagging} too; {@code GetObjectAttributes} reads the object.
 *
 * <p>Fails closed: a method or subresource it does not map, or a query parameter it does not
 * know, is refused with {@code NotImplemented} (501) naming it, never guessed at. Known limits,
 * each a refusal or a key left out:
 * <ul>
 *   <li>{@code DeleteObjects} ({@code POST ?delete}) is refused: its keys are in the body, and
 *       deciding it as one request on the bucket would slip past a deny on some of its keys.
 *       Browser form uploads ({@code POST} to a bucket) and {@code SelectObjectContent} are
 *       refused too.
 *   <li>Keys S3 reads from a body ({@code PutObjectTagging}'s tags, {@code CreateBucket}'s
 *       {@code s3:locationconstraint}) are filled only when the gateway passes the body; keys
 *       from the object's stored state ({@code s3:ExistingObjectTag/<key>},
 *       {@code s3:object-lock-remaining-retention-days}), the TLS version ({@code s3:TlsVersion})
 *       and access points are not filled.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class S3Routes implements RequestMapper {

    /**
     * AWS's S3 REST endpoints: global, regional (dotted, or dashed as older endpoints are), FIPS
     * and dual-stack, in the {@code aws} partition and China's.
     */
    private static final String AWS_ENDPOINT = "(?:s3(?:-fips)?(?:\\.dualstack)?(?:[.-][a-z]{2}(?:-[a-z]+)+-\\d+)?"
            + "|s3-external-1)\\.amazonaws\\.com(?:\\.cn)?";
    private static final Pattern AWS_PATH_HOST = Pattern.compile(AWS_ENDPOINT);
    /** An AWS endpoint with the bucket in front, as virtual-hosted requests address it. */
    private static final Pattern AWS_VIRTUAL_HOST = Pattern.compile("(.+)\\." + AWS_ENDPOINT);
    private static final Pattern PARTITION = Pattern.compile("[a-z][a-z0-9-]*");

    private final List<String> endpoints;
    private final String partition;

    private S3Routes(List<String> endpoints, String partition) {
        this.endpoints = endpoints;
        this.partition = partition;
    }

    /**
     * The mapping for AWS's S3 endpoints and these others (such as {@code s3.localhost} or
     * {@code localhost}), under which a host names its bucket: {@code photos.s3.localhost} is
     * the bucket {@code photos}. ARNs are in the {@code aws} partition.
     *
     * @throws IllegalArgumentException when an endpoint is not a host name
     */
    public static S3Routes create(String... endpoints) {
        List<String> domains = new ArrayList<>(endpoints.length);
        for (String endpoint : endpoints) {
            String domain = endpoint.toLowerCase(Locale.ROOT);
            if (!domain.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?") || domain.contains("..")) {
                throw new IllegalArgumentException("an S3 endpoint is a host name such as s3.localhost, not '"
                        + endpoint + "'");
            }
            domains.add(domain);
        }
        return new S3Routes(List.copyOf(domains), "aws");
    }

    /**
     * This mapping with ARNs in another partition, such as {@code aws-cn}.
     *
     * @throws IllegalArgumentException when the name is not a partition's
     */
    public S3Routes inPartition(String partition) {
        if (!PARTITION.matcher(partition).matches()) {
            throw new IllegalArgumentException("a partition is a name such as aws or aws-cn, not '" + partition + "'");
        }
        return new S3Routes(endpoints, partition);
    }

    @Override
    public String signingName() {
        return "s3";
    }

    @Override
    public MappedRequest map(GatewayRequest request, Authentication authentication) throws GatewayException {
        S3Address address = S3Address.of(hostBucket(request.hostName()), request.rawPath());
        S3Query query = S3Query.parse(request.rawQuery());
        S3Operation operation = S3RouteTable.find(request, address, query);
        S3Call call = new S3Call(request, query, authentication, operation);
        RequestContext.Builder context = RequestContext.builder();
        S3Keys.AUTHENTICATION.fill(call, context);
        for (S3Keys keys : operation.keys()) {
            keys.fill(call, context);
        }
        RequestContext keys = context.build();
        String resource = resource(operation, address);
        return new MappedRequest(operation.operation(), operation.action(), resource, keys,
                alsoRequired(operation, request, resource, keys));
    }

    /**
     * The further permissions S3 checks for some operations: a copy reads its source; an upload
     * that sets an ACL or tags needs {@code s3:PutObjectAcl} or {@code s3:PutObjectTagging} too;
     * GetObjectAttributes reads the object.
     */
    private List<MappedRequest.Requirement> alsoRequired(S3Operation operation, GatewayRequest request,
            String resource, RequestContext keys) {
        List<MappedRequest.Requirement> required = new ArrayList<>(2);
        RequestContext.Entry source = keys.get("s3:x-amz-copy-source");
        if (source != null) {
            String copied = source.values().get(0);
            int version = copied.indexOf("?versionId=");
            required.add(new MappedRequest.Requirement(version < 0 ? "s3:GetObject" : "s3:GetObjectVersion",
                    "arn:" + partition + ":s3:::" + (version < 0 ? copied : copied.substring(0, version))));
        }
        boolean upload = operation == S3Operation.PUT_OBJECT || operation == S3Operation.COPY_OBJECT
                || operation == S3Operation.CREATE_MULTIPART_UPLOAD;
        if (upload && setsAcl(request)) {
            required.add(new MappedRequest.Requirement("s3:PutObjectAcl", resource));
        }
        if (upload && request.header("x-amz-tagging") != null) {
            required.add(new MappedRequest.Requirement("s3:PutObjectTagging", resource));
        }
        if (operation == S3Operation.GET_OBJECT_ATTRIBUTES) {
            required.add(new MappedRequest.Requirement("s3:GetObject", resource));
        } else if (operation == S3Operation.GET_OBJECT_VERSION_ATTRIBUTES) {
            required.add(new MappedRequest.Requirement("s3:GetObjectVersion", resource));
        }
        return required;
    }

    private static boolean setsAcl(GatewayRequest request) {
        for (String header : ACL_HEADERS) {
            if (request.header(header) != null) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> ACL_HEADERS = List.of("x-amz-acl", "x-amz-grant-full-control",
            "x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write", "x-amz-grant-write-acp");

    private String resource(S3Operation operation, S3Address address) {
        String bucketArn = "arn:" + partition + ":s3:::" + address.bucket();
        return switch (operation.scope()) {
            case SERVICE -> "*";
            case BUCKET -> bucketArn;
            case OBJECT -> bucketArn + "/" + address.key();
        };
    }

    /** The bucket a virtual-hosted request's host names, or null when the host is not under an S3 endpoint. */
    private String hostBucket(String host) throws GatewayException {
        String bucket = null;
        for (String endpoint : endpoints) {
            if (host.length() > endpoint.length() + 1 && host.endsWith(endpoint)
                    && host.charAt(host.length() - endpoint.length() - 1) == '.') {
                bucket = host.substring(0, host.length() - endpoint.length() - 1);
                break;
            }
        }
        if (bucket == null && (host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn"))) {
            Matcher aws = AWS_VIRTUAL_HOST.matcher(host);
            if (aws.matches()) {
                bucket = aws.group(1);
            } else if (!AWS_PATH_HOST.matcher(host).matches()) {
                // Reading such a host's path as /bucket/key would name the wrong bucket.
                throw new GatewayException("NotImplemented", 501, "The host " + host + " is not an S3 REST "
                        + "endpoint Gavel's S3 mapping reads: access point, website and S3 Express endpoints "
                        + "are not mapped.");
            }
        }
        if (bucket != null) {
            S3Address.checkBucketName(bucket);
        }
        return bucket;
    }

    @Override
    public String toString() {
        return "S3Routes" + endpoints + " in " + partition;
    }
}
