package io.lakehouseops.storage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Changes an object's storage class in place with a server-side copy onto itself (the data
 * never leaves S3); above 5 GB, the single-request copy limit, a multipart copy. The class is
 * always sent explicitly: a copy without it keeps or resets the class depending on the server.
 */
public final class StorageClassMover {
  static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
  static final long PART_SIZE = 512L * 1024 * 1024;

  private final S3Client s3;

  public StorageClassMover(S3Client s3) {
    this.s3 = s3;
  }

  /** An object's bucket and key, from s3://, s3a:// or s3n:// locations. */
  public record S3Location(String bucket, String key) {
    public static S3Location of(String location) {
      URI uri = URI.create(location);
      return new S3Location(uri.getHost(), uri.getPath().replaceFirst("^/", ""));
    }
  }

  /** The object's current class and size. */
  public record Head(StorageClass storageClass, long bytes) {}

  public Head head(S3Location object) {
    HeadObjectResponse head = s3.headObject(b -> b.bucket(object.bucket()).key(object.key()));
    return new Head(StorageClass.ofS3(head.storageClassAsString()), head.contentLength());
  }

  /** Moves the object to the class; returns the number of S3 requests it took. */
  public int move(S3Location object, long bytes, StorageClass target) {
    if (bytes <= SINGLE_COPY_LIMIT) {
      s3.copyObject(CopyObjectRequest.builder()
          .sourceBucket(object.bucket()).sourceKey(object.key())
          .destinationBucket(object.bucket()).destinationKey(object.key())
          .storageClass(target.name()).metadataDirective(MetadataDirective.COPY).build());
      return 1;
    }
    return multipartMove(object, bytes, target);
  }

  private int multipartMove(S3Location object, long bytes, StorageClass target) {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(object.bucket()).key(object.key())
        .storageClass(target.name())).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    try {
      int part = 1;
      for (long start = 0; start < bytes; start += PART_SIZE, part++) {
        long end = Math.min(start + PART_SIZE, bytes) - 1;
        int number = part;
        String range = "bytes=" + start + "-" + end;
        UploadPartCopyResponse copied = s3.uploadPartCopy(b -> b.sourceBucket(object.bucket())
            .sourceKey(object.key()).destinationBucket(object.bucket()).destinationKey(object.key())
            .uploadId(uploadId).partNumber(number).copySourceRange(range));
        parts.add(CompletedPart.builder().partNumber(number).eTag(copied.copyPartResult().eTag()).build());
      }
      s3.completeMultipartUpload(b -> b.bucket(object.bucket()).key(object.key()).uploadId(uploadId)
          .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (RuntimeException e) {
      s3.abortMultipartUpload(b -> b.bucket(object.bucket()).key(object.key()).uploadId(uploadId));
      throw e;
    }
    return parts.size() + 2;
  }
}
