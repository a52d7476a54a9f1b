package io.lakehouseops.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
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

  /**
   * One `--set KEY=VALUE` as the report shows it: the value redacted whole when the key (or its
   * last segment) names a secret, else parsed as HOCON and redacted as the configuration is (a
   * list of alert routes carries `url` and `routing-key` inside it).
   */
  public static String redactSetting(String setting) {
    int eq = setting.indexOf('=');
    if (eq < 0) {
      return redactText(setting);
    }
    String key = setting.substring(0, eq).trim();
    String lastSegment = key.substring(key.lastIndexOf('.') + 1).replace("\"", "");
    if (isSecretKey(key) || isSecretKey(lastSegment)) {
      return key + "=" + REDACTED;
    }
    try {
      Object value = ConfigFactory.parseString("v = " + setting.substring(eq + 1)).root().unwrapped().get("v");
      Object redacted = redact("", value);
      return key + "=" + (redacted instanceof String text ? text
          : ConfigValueFactory.fromAnyRef(redacted).render(ConfigRenderOptions.concise()));
    } catch (com.typesafe.config.ConfigException e) { // not HOCON: the text rules alone
      return redactText(setting);
    }
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
