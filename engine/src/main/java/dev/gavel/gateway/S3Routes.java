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
 * <p>Fails closed: a method or subresource it does not map, or a query parameter it does not
 * know, is refused with {@code NotImplemented} (501) naming it, never guessed at. Known limits,
 * each a refusal, a key left out, or a second permission S3 checks that this mapping does not:
 * <ul>
 *   <li>One request is one action on one resource. S3 asks for more in a few operations:
 *       {@code CopyObject} and {@code UploadPartCopy} are decided as the destination's
 *       {@code s3:PutObject} (with {@code s3:x-amz-copy-source}), and the caller's read of the
 *       source is not checked here; an upload that sets an ACL or tags is decided as
 *       {@code s3:PutObject} (with {@code s3:x-amz-acl}, {@code s3:x-amz-grant-*} and
 *       {@code s3:RequestObjectTag/*}), where S3 also asks for {@code s3:PutObjectAcl} or
 *       {@code s3:PutObjectTagging}; {@code GetObjectAttributes} is decided as
 *       {@code s3:GetObjectAttributes} alone.
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
        return new MappedRequest(operation.operation(), operation.action(), resource(operation, address),
                context.build());
    }

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
