package io.lakehouseops.storage;

import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

/**
 * How an object is encrypted at rest, as its HEAD says, so that a copy onto itself (tier) keeps
 * it: S3 encrypts a copy as the request says, not as the source was, so a copy that said
 * nothing would turn an SSE-KMS object into the bucket default's. kmsKeyId and bucketKey are
 * set for SSE-KMS; customerKey for SSE-C (the configured key; S3 keeps none).
 */
public record Encryption(Kind kind, String kmsKeyId, Boolean bucketKey, CustomerKey customerKey) {
  /** None (or the bucket default), SSE-S3, SSE-KMS, SSE-C. */
  public enum Kind { NONE, SSE_S3, SSE_KMS, SSE_C }

  static Encryption of(HeadObjectResponse head, CustomerKey customerKey) {
    if (head.sseCustomerAlgorithm() != null) {
      return new Encryption(Kind.SSE_C, null, null, customerKey);
    }
    ServerSideEncryption sse = head.serverSideEncryption();
    if (sse == ServerSideEncryption.AWS_KMS || sse == ServerSideEncryption.AWS_KMS_DSSE) {
      return new Encryption(Kind.SSE_KMS, head.ssekmsKeyId(), head.bucketKeyEnabled(), null);
    }
    return new Encryption(sse == ServerSideEncryption.AES256 ? Kind.SSE_S3 : Kind.NONE, null, null, null);
  }

  CopyObjectRequest.Builder onCopy(CopyObjectRequest.Builder copy) {
    return switch (kind) {
      case SSE_S3 -> copy.serverSideEncryption(ServerSideEncryption.AES256);
      case SSE_KMS -> copy.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId)
          .bucketKeyEnabled(bucketKey);
      case SSE_C -> copy.copySourceSSECustomerAlgorithm(CustomerKey.ALGORITHM)
          .copySourceSSECustomerKey(customerKey.base64()).copySourceSSECustomerKeyMD5(customerKey.md5())
          .sseCustomerAlgorithm(CustomerKey.ALGORITHM).sseCustomerKey(customerKey.base64())
          .sseCustomerKeyMD5(customerKey.md5());
      case NONE -> copy;
    };
  }

  CreateMultipartUploadRequest.Builder onUpload(CreateMultipartUploadRequest.Builder upload) {
    return switch (kind) {
      case SSE_S3 -> upload.serverSideEncryption(ServerSideEncryption.AES256);
      case SSE_KMS -> upload.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId)
          .bucketKeyEnabled(bucketKey);
      case SSE_C -> upload.sseCustomerAlgorithm(CustomerKey.ALGORITHM).sseCustomerKey(customerKey.base64())
          .sseCustomerKeyMD5(customerKey.md5());
      case NONE -> upload;
    };
  }

  UploadPartCopyRequest.Builder onPartCopy(UploadPartCopyRequest.Builder part) {
    if (kind != Kind.SSE_C) {
      return part; // the upload's encryption applies to its parts
    }
    return part.copySourceSSECustomerAlgorithm(CustomerKey.ALGORITHM)
        .copySourceSSECustomerKey(customerKey.base64()).copySourceSSECustomerKeyMD5(customerKey.md5())
        .sseCustomerAlgorithm(CustomerKey.ALGORITHM).sseCustomerKey(customerKey.base64())
        .sseCustomerKeyMD5(customerKey.md5());
  }

  /** A customer-provided key (SSE-C), base64 as S3A's fs.s3a.encryption.key takes it; never printed. */
  public record CustomerKey(String base64, String md5) {
    static final String ALGORITHM = "AES256";

    @Override
    public String toString() {
      return "CustomerKey[redacted]";
    }
  }
}
