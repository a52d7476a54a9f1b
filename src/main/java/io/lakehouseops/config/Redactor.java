package io.lakehouseops.config;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes secrets from configuration before it is logged or put in a report: values of keys
 * that name a secret, and credentials embedded in URIs (user:password@host, ?password=...).
 * Keys named `url` are alert endpoints (a Slack or webhook URL is its own credential).
 */
public final class Redactor {
  public static final String REDACTED = "***";
  private static final Pattern SECRET_KEY = Pattern.compile(
      "(?i).*(password|passwd|secret|token|credential|access[-_.]?key|session[-_.]?key"
          + "|private[-_.]?key|api[-_.]?key|routing[-_.]?key|auth).*|url");
  private static final Pattern URI_USERINFO = Pattern.compile("(//)[^/@\\s]+:[^/@\\s]+@");
  private static final Pattern QUERY_SECRET = Pattern.compile(
      "(?i)((?:password|secret|token|sig|signature|access[-_]?key|credential)[^=&;\\s]*=)[^&;\\s]*");

  private Redactor() {}

  public static Map<String, Object> redactedTree(Config config, String path) {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) redact("", config.getValue(path).unwrapped());
    return tree;
  }

  static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  public static String redactText(String text) {
    if (text == null) {
      return null;
    }
    String result = URI_USERINFO.matcher(text).replaceAll("$1" + REDACTED + "@");
    return QUERY_SECRET.matcher(result).replaceAll("$1" + REDACTED);
  }

  private static Object redact(String key, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : new java.util.TreeMap<>(map).entrySet()) {
        result.put(String.valueOf(e.getKey()), redact(String.valueOf(e.getKey()), e.getValue()));
      }
      return result;
    }
    if (!key.isEmpty() && isSecretKey(key) && value != null) {
      return REDACTED;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> redact("", v)).toList();
    }
    if (value instanceof String s) {
      return redactText(s);
    }
    return value;
  }
}
