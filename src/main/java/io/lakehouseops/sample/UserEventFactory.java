package io.lakehouseops.sample;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Realistic click-stream events for one ingestion day: skewed event types and countries,
 * payloads that depend on the type, about 1% re-delivered duplicates and 3% late events
 * (event time one or two days before the ingestion day). Deterministic for a seed.
 */
final class UserEventFactory {
  static final double DUPLICATE_SHARE = 0.01;
  static final double LATE_SHARE = 0.03;
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final String[] TYPES = {"page_view", "click", "add_to_cart", "purchase", "signup", "logout"};
  private static final int[] TYPE_WEIGHTS = {60, 25, 8, 4, 2, 1};
  private static final String[] COUNTRIES = {"US", "DE", "GB", "FR", "IN", "BR", "JP", "CA", "ES", "NL"};
  private static final int[] COUNTRY_WEIGHTS = {30, 14, 12, 9, 9, 8, 6, 5, 4, 3};

  private final Schema schema;
  private final Random random;

  UserEventFactory(Schema schema, long seed) {
    this.schema = schema;
    this.random = new Random(seed);
  }

  /** One day's events, with the requested faults; shuffled like a real delivery. */
  DayOfEvents day(LocalDate day, int rows, int nullKeys, int outOfRange) {
    long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    List<GenericRecord> records = new ArrayList<>(rows + rows / 50 + 1);
    long late = 0;
    for (int i = 0; i < rows; i++) {
      boolean isLate = random.nextDouble() < LATE_SHARE;
      late += isLate ? 1 : 0;
      records.add(event(dayStart, isLate));
    }
    // Faults go into distinct original events (never a duplicate that dedupe would drop).
    for (int i = 0; i < Math.min(nullKeys, rows); i++) {
      records.get(i).put("event_id", null);
    }
    for (int i = 0; i < Math.min(outOfRange, rows - Math.min(nullKeys, rows)); i++) {
      records.get(rows - 1 - i).put("user_id", -1L - random.nextInt(1000));
    }
    int duplicates = (int) Math.round(rows * DUPLICATE_SHARE);
    for (int i = 0; i < duplicates; i++) {
      GenericRecord original = records.get(random.nextInt(rows));
      GenericRecord copy = new GenericData.Record((GenericData.Record) original, true);
      // A re-delivery: same event, ingested a little later.
      copy.put("ingested_at", Math.min((long) original.get("ingested_at") + 1_000_000L
          + random.nextInt(600_000_000), dayStart + MICROS_PER_DAY - 1));
      records.add(copy);
    }
    java.util.Collections.shuffle(records, random);
    long nulls = records.stream().filter(r -> r.get("event_id") == null).count();
    long negative = records.stream().filter(r -> r.get("user_id") instanceof Long id && id < 0).count();
    return new DayOfEvents(records, duplicates, late, nulls, negative);
  }

  private GenericRecord event(long dayStart, boolean late) {
    GenericRecord record = new GenericData.Record(schema);
    long ingestedAt = dayStart + (long) (random.nextDouble() * (MICROS_PER_DAY - 1));
    long eventTs = late
        ? dayStart - (1 + random.nextInt(2)) * MICROS_PER_DAY
            + (long) (random.nextDouble() * MICROS_PER_DAY)
        : Math.max(dayStart, ingestedAt - random.nextInt(120_000_000));
    String type = pick(TYPES, TYPE_WEIGHTS);
    put(record, "event_id", new UUID(random.nextLong(), random.nextLong()).toString());
    // Power-law-ish users: a few are very active.
    put(record, "user_id", 1L + (long) Math.floor(Math.pow(random.nextDouble(), 2.5) * 50_000));
    put(record, "event_type", type);
    put(record, "country", pick(COUNTRIES, COUNTRY_WEIGHTS));
    put(record, "event_ts", eventTs);
    put(record, "payload", payload(type));
    put(record, "ingested_at", ingestedAt);
    return record;
  }

  private Map<String, String> payload(String type) {
    Map<String, String> payload = new LinkedHashMap<>();
    switch (type) {
      case "page_view" -> {
        payload.put("page", "/products/" + random.nextInt(5_000));
        payload.put("referrer", pick(new String[] {"direct", "search", "social", "email"}, new int[] {40, 35, 15, 10}));
      }
      case "click" -> payload.put("element", pick(new String[] {"buy_button", "nav_menu", "banner", "search_box"}, new int[] {30, 30, 20, 20}));
      case "add_to_cart", "purchase" -> {
        payload.put("sku", "SKU-" + random.nextInt(5_000));
        payload.put("amount", String.format(java.util.Locale.ROOT, "%.2f", 5 + random.nextDouble() * 195));
        payload.put("currency", "EUR");
      }
      default -> payload.put("channel", random.nextBoolean() ? "web" : "app");
    }
    return payload;
  }

  /** Sets a field the contract declares; fields it lacks are left out. */
  private static void put(GenericRecord record, String field, Object value) {
    if (record.getSchema().getField(field) != null) {
      record.put(field, value);
    }
  }

  private String pick(String[] values, int[] weights) {
    int total = java.util.Arrays.stream(weights).sum();
    int r = random.nextInt(total);
    for (int i = 0; i < values.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** One day's records and how many of them are deliberate oddities. */
  record DayOfEvents(List<GenericRecord> records, long duplicates, long lateEvents,
      long nullKeys, long outOfRange) {}
}
