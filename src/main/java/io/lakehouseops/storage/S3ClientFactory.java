package io.lakehouseops.storage;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * An S3 client configured from the same Hadoop settings as S3A (fs.s3a.endpoint, path-style
 * access, region, keys), so one configuration reaches both. Without fs.s3a keys it uses the
 * AWS default credential chain. Credentials are never logged.
 */
public final class S3ClientFactory {
  private S3ClientFactory() {}

  public static S3Client create(Configuration hadoop, int maxAttempts) {
    var builder = S3Client.builder()
        .credentialsProvider(credentials(hadoop))
        .region(Region.of(hadoop.getTrimmed("fs.s3a.endpoint.region",
            hadoop.getTrimmed("fs.s3a.region", "us-east-1"))))
        .serviceConfiguration(S3Configuration.builder()
            .pathStyleAccessEnabled(hadoop.getBoolean("fs.s3a.path.style.access", false)).build())
        // The SDK's standard retry mode backs off on throttling and 5xx answers.
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(RetryMode.STANDARD)
            .retryStrategy(b -> b.maxAttempts(maxAttempts)).build());
    String endpoint = hadoop.getTrimmed("fs.s3a.endpoint", "");
    if (!endpoint.isEmpty()) {
      boolean ssl = hadoop.getBoolean("fs.s3a.connection.ssl.enabled", true);
      builder.endpointOverride(URI.create(endpoint.contains("://") ? endpoint
          : (ssl ? "https://" : "http://") + endpoint));
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(Configuration hadoop) {
    if (hadoop.getTrimmed("fs.s3a.aws.credentials.provider", "").contains("Anonymous")) {
      return AnonymousCredentialsProvider.create();
    }
    String access = hadoop.getTrimmed("fs.s3a.access.key", "");
    String secret = hadoop.getTrimmed("fs.s3a.secret.key", "");
    if (!access.isEmpty() && !secret.isEmpty()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
