package io.lakehouseops.storage;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.s3a.S3AUtils;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * An S3 client configured from the same Hadoop settings as S3A, so one configuration reaches
 * both: fs.s3a.endpoint, path-style access, region, keys or session credentials, an assumed
 * role (fs.s3a.assumed.role.arn), and per-bucket overrides fs.s3a.bucket.BUCKET.* applied by
 * S3A's own code. Without a configured region it takes the AWS default region chain, and on AWS
 * follows a bucket to its region; without keys, the AWS default credential chain. Credentials
 * are never logged.
 */
public final class S3ClientFactory {
  private S3ClientFactory() {}

  /** The Hadoop settings as S3A applies them to one bucket: its fs.s3a.bucket.BUCKET.* win. */
  public static Configuration forBucket(Configuration hadoop, String bucket) {
    return S3AUtils.propagateBucketOptions(hadoop, bucket);
  }

  public static S3Client create(Configuration hadoop, int maxAttempts) {
    String endpoint = hadoop.getTrimmed("fs.s3a.endpoint", "");
    S3ClientBuilder builder = S3Client.builder()
        .serviceConfiguration(S3Configuration.builder()
            .pathStyleAccessEnabled(hadoop.getBoolean("fs.s3a.path.style.access", false)).build())
        // The SDK's standard retry mode backs off on throttling and 5xx answers.
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(RetryMode.STANDARD)
            .retryStrategy(b -> b.maxAttempts(maxAttempts)).build());
    Region region = region(hadoop);
    builder.region(region).credentialsProvider(credentials(hadoop, region));
    if (!endpoint.isEmpty()) {
      boolean ssl = hadoop.getBoolean("fs.s3a.connection.ssl.enabled", true);
      builder.endpointOverride(URI.create(endpoint.contains("://") ? endpoint
          : (ssl ? "https://" : "http://") + endpoint));
    } else {
      // On AWS, a bucket in another region than the client's answers with a redirect the client follows.
      builder.crossRegionAccessEnabled(true);
    }
    return builder.build();
  }

  /** fs.s3a.endpoint.region (or fs.s3a.region), else the AWS default region chain, else us-east-1. */
  static Region region(Configuration hadoop) {
    String configured = hadoop.getTrimmed("fs.s3a.endpoint.region", hadoop.getTrimmed("fs.s3a.region", ""));
    if (!configured.isEmpty()) {
      return Region.of(configured);
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException none) {
      return Region.US_EAST_1;
    }
  }

  private static AwsCredentialsProvider credentials(Configuration hadoop, Region region) {
    AwsCredentialsProvider base = baseCredentials(hadoop);
    String role = hadoop.getTrimmed("fs.s3a.assumed.role.arn", "");
    if (role.isEmpty()) {
      return base;
    }
    String stsRegion = hadoop.getTrimmed("fs.s3a.assumed.role.sts.endpoint.region", region.id());
    StsClient sts = StsClient.builder().credentialsProvider(base).region(Region.of(stsRegion)).build();
    return StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
        .refreshRequest(r -> r.roleArn(role)
            .roleSessionName(hadoop.getTrimmed("fs.s3a.assumed.role.session.name", "lakehouse-ops")))
        .build();
  }

  private static AwsCredentialsProvider baseCredentials(Configuration hadoop) {
    if (hadoop.getTrimmed("fs.s3a.aws.credentials.provider", "").contains("Anonymous")) {
      return AnonymousCredentialsProvider.create();
    }
    String access = hadoop.getTrimmed("fs.s3a.access.key", "");
    String secret = hadoop.getTrimmed("fs.s3a.secret.key", "");
    String token = hadoop.getTrimmed("fs.s3a.session.token", "");
    if (!access.isEmpty() && !secret.isEmpty()) {
      return StaticCredentialsProvider.create(token.isEmpty() ? AwsBasicCredentials.create(access, secret)
          : AwsSessionCredentials.create(access, secret, token));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /**
   * The SSE-C key configured for S3A (fs.s3a.encryption.algorithm = SSE-C with
   * fs.s3a.encryption.key, or their older names), or null.
   */
  public static Encryption.CustomerKey customerKey(Configuration hadoop) {
    String algorithm = hadoop.getTrimmed("fs.s3a.encryption.algorithm",
        hadoop.getTrimmed("fs.s3a.server-side-encryption-algorithm", ""));
    String key = hadoop.getTrimmed("fs.s3a.encryption.key", hadoop.getTrimmed("fs.s3a.server-side-encryption.key", ""));
    if (!"SSE-C".equals(algorithm.toUpperCase(Locale.ROOT)) || key.isEmpty()) {
      return null;
    }
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(key));
      return new Encryption.CustomerKey(key, Base64.getEncoder().encodeToString(md5));
    } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
      throw new IllegalArgumentException("fs.s3a.encryption.key is not a base64 SSE-C key", e);
    }
  }
}
