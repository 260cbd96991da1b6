package dev.gavel.gateway;

import static dev.gavel.gateway.S3Keys.ACL;
import static dev.gavel.gateway.S3Keys.BUCKET_CREATION;
import static dev.gavel.gateway.S3Keys.CONDITIONAL_WRITE;
import static dev.gavel.gateway.S3Keys.COPY;
import static dev.gavel.gateway.S3Keys.LISTING;
import static dev.gavel.gateway.S3Keys.OBJECT_CREATION;
import static dev.gavel.gateway.S3Keys.OBJECT_TAGS;
import static dev.gavel.gateway.S3Keys.TAGGING_BODY;
import static dev.gavel.gateway.S3Keys.VERSION;

import java.util.EnumSet;
import java.util.Set;

/**
 * The S3 REST operations {@link S3Routes} maps, each with the IAM action S3 authorizes it as
 * (per the S3 API Reference's permissions for the operation), what it acts on, and the groups
 * of condition keys S3 fills from such a request.
 */
enum S3Operation {

    LIST_BUCKETS("ListBuckets", "ListAllMyBuckets", Scope.SERVICE),

    // ---- buckets
    CREATE_BUCKET("CreateBucket", "CreateBucket", Scope.BUCKET, ACL, BUCKET_CREATION),
    DELETE_BUCKET("DeleteBucket", "DeleteBucket", Scope.BUCKET),
    HEAD_BUCKET("HeadBucket", "ListBucket", Scope.BUCKET),
    LIST_OBJECTS("ListObjects", "ListBucket", Scope.BUCKET, LISTING),
    LIST_OBJECTS_V2("ListObjectsV2", "ListBucket", Scope.BUCKET, LISTING),
    LIST_OBJECT_VERSIONS("ListObjectVersions", "ListBucketVersions", Scope.BUCKET, LISTING),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads", "ListBucketMultipartUploads", Scope.BUCKET),
    GET_BUCKET_LOCATION("GetBucketLocation", "GetBucketLocation", Scope.BUCKET),
    GET_BUCKET_ACL("GetBucketAcl", "GetBucketAcl", Scope.BUCKET),
    PUT_BUCKET_ACL("PutBucketAcl", "PutBucketAcl", Scope.BUCKET, ACL),
    GET_BUCKET_POLICY("GetBucketPolicy", "GetBucketPolicy", Scope.BUCKET),
    PUT_BUCKET_POLICY("PutBucketPolicy", "PutBucketPolicy", Scope.BUCKET),
    DELETE_BUCKET_POLICY("DeleteBucketPolicy", "DeleteBucketPolicy", Scope.BUCKET),
    GET_BUCKET_POLICY_STATUS("GetBucketPolicyStatus", "GetBucketPolicyStatus", Scope.BUCKET),
    GET_BUCKET_TAGGING("GetBucketTagging", "GetBucketTagging", Scope.BUCKET),
    PUT_BUCKET_TAGGING("PutBucketTagging", "PutBucketTagging", Scope.BUCKET),
    DELETE_BUCKET_TAGGING("DeleteBucketTagging", "PutBucketTagging", Scope.BUCKET),
    GET_BUCKET_VERSIONING("GetBucketVersioning", "GetBucketVersioning", Scope.BUCKET),
    PUT_BUCKET_VERSIONING("PutBucketVersioning", "PutBucketVersioning", Scope.BUCKET),
    GET_BUCKET_CORS("GetBucketCors", "GetBucketCORS", Scope.BUCKET),
    PUT_BUCKET_CORS("PutBucketCors", "PutBucketCORS", Scope.BUCKET),
    DELETE_BUCKET_CORS("DeleteBucketCors", "PutBucketCORS", Scope.BUCKET),
    GET_BUCKET_LIFECYCLE("GetBucketLifecycleConfiguration", "GetLifecycleConfiguration", Scope.BUCKET),
    PUT_BUCKET_LIFECYCLE("PutBucketLifecycleConfiguration", "PutLifecycleConfiguration", Scope.BUCKET),
    DELETE_BUCKET_LIFECYCLE("DeleteBucketLifecycle", "PutLifecycleConfiguration", Scope.BUCKET),
    GET_BUCKET_ENCRYPTION("GetBucketEncryption", "GetEncryptionConfiguration", Scope.BUCKET),
    PUT_BUCKET_ENCRYPTION("PutBucketEncryption", "PutEncryptionConfiguration", Scope.BUCKET),
    DELETE_BUCKET_ENCRYPTION("DeleteBucketEncryption", "PutEncryptionConfiguration", Scope.BUCKET),
    GET_BUCKET_WEBSITE("GetBucketWebsite", "GetBucketWebsite", Scope.BUCKET),
    PUT_BUCKET_WEBSITE("PutBucketWebsite", "PutBucketWebsite", Scope.BUCKET),
    DELETE_BUCKET_WEBSITE("DeleteBucketWebsite", "DeleteBucketWebsite", Scope.BUCKET),
    GET_PUBLIC_ACCESS_BLOCK("GetPublicAccessBlock", "GetBucketPublicAccessBlock", Scope.BUCKET),
    PUT_PUBLIC_ACCESS_BLOCK("PutPublicAccessBlock", "PutBucketPublicAccessBlock", Scope.BUCKET),
    DELETE_PUBLIC_ACCESS_BLOCK("DeletePublicAccessBlock", "PutBucketPublicAccessBlock", Scope.BUCKET),
    GET_BUCKET_OWNERSHIP_CONTROLS("GetBucketOwnershipControls", "GetBucketOwnershipControls", Scope.BUCKET),
    PUT_BUCKET_OWNERSHIP_CONTROLS("PutBucketOwnershipControls", "PutBucketOwnershipControls", Scope.BUCKET),
    DELETE_BUCKET_OWNERSHIP_CONTROLS("DeleteBucketOwnershipControls", "PutBucketOwnershipControls", Scope.BUCKET),
    GET_BUCKET_NOTIFICATION("GetBucketNotificationConfiguration", "GetBucketNotification", Scope.BUCKET),
    PUT_BUCKET_NOTIFICATION("PutBucketNotificationConfiguration", "PutBucketNotification", Scope.BUCKET),
    GET_BUCKET_LOGGING("GetBucketLogging", "GetBucketLogging", Scope.BUCKET),
    PUT_BUCKET_LOGGING("PutBucketLogging", "PutBucketLogging", Scope.BUCKET),
    GET_OBJECT_LOCK_CONFIGURATION("GetObjectLockConfiguration", "GetBucketObjectLockConfiguration", Scope.BUCKET),
    PUT_OBJECT_LOCK_CONFIGURATION("PutObjectLockConfiguration", "PutBucketObjectLockConfiguration", Scope.BUCKET),
    GET_BUCKET_ACCELERATE("GetBucketAccelerateConfiguration", "GetAccelerateConfiguration", Scope.BUCKET),
    PUT_BUCKET_ACCELERATE("PutBucketAccelerateConfiguration", "PutAccelerateConfiguration", Scope.BUCKET),
    GET_BUCKET_REQUEST_PAYMENT("GetBucketRequestPayment", "GetBucketRequestPayment", Scope.BUCKET),
    PUT_BUCKET_REQUEST_PAYMENT("PutBucketRequestPayment", "PutBucketRequestPayment", Scope.BUCKET),
    GET_BUCKET_REPLICATION("GetBucketReplication", "GetReplicationConfiguration", Scope.BUCKET),
    PUT_BUCKET_REPLICATION("PutBucketReplication", "PutReplicationConfiguration", Scope.BUCKET),
    DELETE_BUCKET_REPLICATION("DeleteBucketReplication", "PutReplicationConfiguration", Scope.BUCKET),
    LIST_BUCKET_ANALYTICS("ListBucketAnalyticsConfigurations", "GetAnalyticsConfiguration", Scope.BUCKET),
    GET_BUCKET_ANALYTICS("GetBucketAnalyticsConfiguration", "GetAnalyticsConfiguration", Scope.BUCKET),
    PUT_BUCKET_ANALYTICS("PutBucketAnalyticsConfiguration", "PutAnalyticsConfiguration", Scope.BUCKET),
    DELETE_BUCKET_ANALYTICS("DeleteBucketAnalyticsConfiguration", "PutAnalyticsConfiguration", Scope.BUCKET),
    LIST_BUCKET_INVENTORY("ListBucketInventoryConfigurations", "GetInventoryConfiguration", Scope.BUCKET),
    GET_BUCKET_INVENTORY("GetBucketInventoryConfiguration", "GetInventoryConfiguration", Scope.BUCKET),
    PUT_BUCKET_INVENTORY("PutBucketInventoryConfiguration", "PutInventoryConfiguration", Scope.BUCKET),
    DELETE_BUCKET_INVENTORY("DeleteBucketInventoryConfiguration", "PutInventoryConfiguration", Scope.BUCKET),
    LIST_BUCKET_METRICS("ListBucketMetricsConfigurations", "GetMetricsConfiguration", Scope.BUCKET),
    GET_BUCKET_METRICS("GetBucketMetricsConfiguration", "GetMetricsConfiguration", Scope.BUCKET),
    PUT_BUCKET_METRICS("PutBucketMetricsConfiguration", "PutMetricsConfiguration", Scope.BUCKET),
    DELETE_BUCKET_METRICS("DeleteBucketMetricsConfiguration", "PutMetricsConfiguration", Scope.BUCKET),
    LIST_BUCKET_INTELLIGENT_TIERING("ListBucketIntelligentTieringConfigurations",
            "GetIntelligentTieringConfiguration", Scope.BUCKET),
    GET_BUCKET_INTELLIGENT_TIERING("GetBucketIntelligentTieringConfiguration",
            "GetIntelligentTieringConfiguration", Scope.BUCKET),
    PUT_BUCKET_INTELLIGENT_TIERING("PutBucketIntelligentTieringConfiguration",
            "PutIntelligentTieringConfiguration", Scope.BUCKET),
    DELETE_BUCKET_INTELLIGENT_TIERING("DeleteBucketIntelligentTieringConfiguration",
            "PutIntelligentTieringConfiguration", Scope.BUCKET),

    // ---- objects
    GET_OBJECT("GetObject", "GetObject", Scope.OBJECT),
    GET_OBJECT_VERSION("GetObject", "GetObjectVersion", Scope.OBJECT, VERSION),
    HEAD_OBJECT("HeadObject", "GetObject", Scope.OBJECT),
    HEAD_OBJECT_VERSION("HeadObject", "GetObjectVersion", Scope.OBJECT, VERSION),
    PUT_OBJECT("PutObject", "PutObject", Scope.OBJECT, ACL, OBJECT_CREATION, OBJECT_TAGS, CONDITIONAL_WRITE),
    COPY_OBJECT("CopyObject", "PutObject", Scope.OBJECT, ACL, OBJECT_CREATION, OBJECT_TAGS, CONDITIONAL_WRITE,
            COPY),
    DELETE_OBJECT("DeleteObject", "DeleteObject", Scope.OBJECT),
    DELETE_OBJECT_VERSION("DeleteObject", "DeleteObjectVersion", Scope.OBJECT, VERSION),
    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload", "PutObject", Scope.OBJECT, ACL, OBJECT_CREATION, OBJECT_TAGS),
    UPLOAD_PART("UploadPart", "PutObject", Scope.OBJECT, OBJECT_CREATION),
    UPLOAD_PART_COPY("UploadPartCopy", "PutObject", Scope.OBJECT, OBJECT_CREATION, COPY),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload", "PutObject", Scope.OBJECT, OBJECT_CREATION,
            CONDITIONAL_WRITE),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload", "AbortMultipartUpload", Scope.OBJECT),
    LIST_PARTS("ListParts", "ListMultipartUploadParts", Scope.OBJECT),
    GET_OBJECT_ACL("GetObjectAcl", "GetObjectAcl", Scope.OBJECT),
    GET_OBJECT_VERSION_ACL("GetObjectAcl", "GetObjectVersionAcl", Scope.OBJECT, VERSION),
    PUT_OBJECT_ACL("PutObjectAcl", "PutObjectAcl", Scope.OBJECT, ACL),
    PUT_OBJECT_VERSION_ACL("PutObjectAcl", "PutObjectVersionAcl", Scope.OBJECT, ACL, VERSION),
    GET_OBJECT_TAGGING("GetObjectTagging", "GetObjectTagging", Scope.OBJECT),
    GET_OBJECT_VERSION_TAGGING("GetObjectTagging", "GetObjectVersionTagging", Scope.OBJECT, VERSION),
    PUT_OBJECT_TAGGING("PutObjectTagging", "PutObjectTagging", Scope.OBJECT, TAGGING_BODY),
    PUT_OBJECT_VERSION_TAGGING("PutObjectTagging", "PutObjectVersionTagging", Scope.OBJECT, TAGGING_BODY, VERSION),
    DELETE_OBJECT_TAGGING("DeleteObjectTagging", "DeleteObjectTagging", Scope.OBJECT),
    DELETE_OBJECT_VERSION_TAGGING("DeleteObjectTagging", "DeleteObjectVersionTagging", Scope.OBJECT, VERSION),
    GET_OBJECT_ATTRIBUTES("GetObjectAttributes", "GetObjectAttributes", Scope.OBJECT),
    GET_OBJECT_VERSION_ATTRIBUTES("GetObjectAttributes", "GetObjectVersionAttributes", Scope.OBJECT, VERSION),
    GET_OBJECT_TORRENT("GetObjectTorrent", "GetObjectTorrent", Scope.OBJECT),
    GET_OBJECT_VERSION_TORRENT("GetObjectTorrent", "GetObjectVersionTorrent", Scope.OBJECT, VERSION),
    GET_OBJECT_RETENTION("GetObjectRetention", "GetObjectRetention", Scope.OBJECT),
    PUT_OBJECT_RETENTION("PutObjectRetention", "PutObjectRetention", Scope.OBJECT),
    GET_OBJECT_LEGAL_HOLD("GetObjectLegalHold", "GetObjectLegalHold", Scope.OBJECT),
    PUT_OBJECT_LEGAL_HOLD("PutObjectLegalHold", "PutObjectLegalHold", Scope.OBJECT),
    RESTORE_OBJECT("RestoreObject", "RestoreObject", Scope.OBJECT);

    /** What an operation acts on, and so the form of its resource. */
    enum Scope {
        /** No bucket: the resource is {@code *}. */
        SERVICE,
        /** A bucket: {@code arn:aws:s3:::bucket}. */
        BUCKET,
        /** An object: {@code arn:aws:s3:::bucket/key}. */
        OBJECT
    }

    private final String operation;
    private final String action;
    private final Scope scope;
    private final Set<S3Keys> keys;

    S3Operation(String operation, String actionName, Scope scope, S3Keys... keys) {
        this.operation = operation;
        this.action = "s3:" + actionName;
        this.scope = scope;
        this.keys = keys.length == 0 ? EnumSet.noneOf(S3Keys.class) : EnumSet.of(keys[0], keys);
    }

    /** The API operation's name, as the S3 API Reference spells it. */
    String operation() {
        return operation;
    }

    /** The IAM action, such as {@code s3:GetObjectVersion}. */
    String action() {
        return action;
    }

    Scope scope() {
        return scope;
    }

    /** The groups of request keys S3 fills for this operation, beyond the ones every request carries. */
    Set<S3Keys> keys() {
        return keys;
    }
}
