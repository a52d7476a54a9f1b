package io.lakehouseops.storage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Changes an object's storage class in place with a server-side copy onto itself (the data
 * never leaves S3); above 5 GB, the single-request copy limit, a multipart copy. The class is
 * always sent explicitly: a copy without it keeps or resets the class depending on the server.
 * So is the object's encryption (see Encryption): SSE-S3 stays SSE-S3, SSE-KMS keeps its key
 * and bucket-key setting, SSE-C needs the configured customer key.
 */
public final class StorageClassMover {
  static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
  static final long PART_SIZE = 512L * 1024 * 1024;

  private final S3Client s3;
  private final Encryption.CustomerKey customerKey;

  /** customerKey: the SSE-C key configured for the bucket (fs.s3a.encryption.key), or null. */
  public StorageClassMover(S3Client s3, Encryption.CustomerKey customerKey) {
    this.s3 = s3;
    this.customerKey = customerKey;
  }

  /** Whether a copy onto itself leaves a noncurrent version behind (versioning enabled), if the bucket says. */
  public enum Versioning { ENABLED, OFF, UNKNOWN }

  public Versioning versioning(String bucket) {
    try {
      return s3.getBucketVersioning(b -> b.bucket(bucket)).status() == BucketVersioningStatus.ENABLED
          ? Versioning.ENABLED : Versioning.OFF;
    } catch (S3Exception e) { // s3:GetBucketVersioning not granted
      return Versioning.UNKNOWN;
    }
  }

  /** The object is encrypted with a customer-provided key (SSE-C) and none is configured. */
  public static final class CustomerKeyRequiredException extends RuntimeException {
    CustomerKeyRequiredException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An object's bucket and key, from s3://, s3a:// or s3n:// locations. */
  public record S3Location(String bucket, String key) {
    public static S3Location of(String location) {
      URI uri = URI.create(location);
      return new S3Location(uri.getHost(), uri.getPath().replaceFirst("^/", ""));
    }
  }

  /** The object's current class, size and encryption. */
  public record Head(StorageClass storageClass, long bytes, Encryption encryption) {}

  public Head head(S3Location object) {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> {
        b.bucket(object.bucket()).key(object.key());
        if (customerKey != null) {
          b.sseCustomerAlgorithm(Encryption.CustomerKey.ALGORITHM).sseCustomerKey(customerKey.base64())
              .sseCustomerKeyMD5(customerKey.md5());
        }
      });
    } catch (S3Exception e) {
      // S3 answers a HEAD of an SSE-C object without its key with 400 and nothing else to go on.
      if (e.statusCode() == 400 && customerKey == null) {
        throw new CustomerKeyRequiredException("Cannot tier s3://" + object.bucket() + "/" + object.key()
            + ": S3 refuses to describe it without a customer-provided key (SSE-C); set "
            + "fs.s3a.encryption.algorithm = SSE-C and fs.s3a.encryption.key (for this bucket: "
            + "fs.s3a.bucket." + object.bucket() + ".encryption.*), or leave this table out of tiering", e);
      }
      throw e;
    }
    return new Head(StorageClass.ofS3(head.storageClassAsString()), head.contentLength(),
        Encryption.of(head, customerKey));
  }

  /** Moves the object to the class; returns the number of S3 requests it took. */
  public int move(S3Location object, Head head, StorageClass target) {
    if (head.bytes() <= SINGLE_COPY_LIMIT) {
      s3.copyObject(head.encryption().onCopy(CopyObjectRequest.builder()
          .sourceBucket(object.bucket()).sourceKey(object.key())
          .destinationBucket(object.bucket()).destinationKey(object.key())
          .storageClass(target.name()).metadataDirective(MetadataDirective.COPY)).build());
      return 1;
    }
    return multipartMove(object, head.bytes(), head.encryption(), target);
  }

  private int multipartMove(S3Location object, long bytes, Encryption encryption, StorageClass target) {
    String uploadId = s3.createMultipartUpload(encryption.onUpload(CreateMultipartUploadRequest.builder()
        .bucket(object.bucket()).key(object.key()).storageClass(target.name())).build()).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    try {
      int part = 1;
      for (long start = 0; start < bytes; start += PART_SIZE, part++) {
        long end = Math.min(start + PART_SIZE, bytes) - 1;
        int number = part;
        String range = "bytes=" + start + "-" + end;
        UploadPartCopyResponse copied = s3.uploadPartCopy(encryption.onPartCopy(UploadPartCopyRequest.builder()
            .sourceBucket(object.bucket()).sourceKey(object.key()).destinationBucket(object.bucket())
            .destinationKey(object.key()).uploadId(uploadId).partNumber(number).copySourceRange(range)).build());
        parts.add(CompletedPart.builder().partNumber(number).eTag(copied.copyPartResult().eTag()).build());
      }
      s3.completeMultipartUpload(b -> {
        b.bucket(object.bucket()).key(object.key()).uploadId(uploadId)
            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
        if (encryption.kind() == Encryption.Kind.SSE_C) {
          b.sseCustomerAlgorithm(Encryption.CustomerKey.ALGORITHM).sseCustomerKey(encryption.customerKey().base64())
              .sseCustomerKeyMD5(encryption.customerKey().md5());
        }
      });
    } catch (RuntimeException e) {
      s3.abortMultipartUpload(b -> b.bucket(object.bucket()).key(object.key()).uploadId(uploadId));
      throw e;
    }
    return parts.size() + 2;
  }
}
