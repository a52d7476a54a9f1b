package io.lakehouseops.bench.tpch;

import io.trino.tpch.LineItem;
import io.trino.tpch.LineItemGenerator;
import java.io.File;
import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * Writes TPC-H lineitem (dbgen's Java port, deterministic for a scale factor) as raw-zone
 * Avro: OUT/dt=YYYY-01-01/part-00000.avro, one partition per ship year, so a partition is a
 * batch large enough to measure throughput (about 900,000 rows at scale 1).
 *
 * <p>Usage: LineitemAvroWriter SCALE OUT_DIR SCHEMA_FILE
 */
public final class LineitemAvroWriter {
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private LineitemAvroWriter() {}

  public static void main(String[] args) throws IOException {
    double scale = Double.parseDouble(args[0]);
    File out = new File(args[1]);
    Schema schema = new Schema.Parser().parse(new File(args[2]));
    Map<Integer, DataFileWriter<GenericRecord>> writers = new HashMap<>();
    long rows = 0;
    try {
      for (LineItem item : new LineItemGenerator(scale, 1, 1)) {
        int year = LocalDate.ofEpochDay(item.getShipDate()).getYear();
        DataFileWriter<GenericRecord> writer = writers.get(year);
        if (writer == null) {
          writer = open(schema, new File(out, "dt=" + year + "-01-01/part-00000.avro"));
          writers.put(year, writer);
        }
        writer.append(record(schema, item));
        rows++;
      }
    } finally {
      for (DataFileWriter<GenericRecord> writer : writers.values()) {
        writer.close();
      }
    }
    System.out.println("lineitem: " + rows + " rows in " + writers.size() + " partitions under " + out);
  }

  private static DataFileWriter<GenericRecord> open(Schema schema, File file) throws IOException {
    if (!file.getParentFile().mkdirs() && !file.getParentFile().isDirectory()) {
      throw new IOException("Cannot create " + file.getParentFile());
    }
    DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema));
    writer.setCodec(CodecFactory.snappyCodec());
    return writer.create(schema, file);
  }

  private static GenericRecord record(Schema schema, LineItem item) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("l_orderkey", item.getOrderKey());
    r.put("l_partkey", item.getPartKey());
    r.put("l_suppkey", item.getSupplierKey());
    r.put("l_linenumber", item.getLineNumber());
    r.put("l_quantity", (double) item.getQuantity());
    r.put("l_extendedprice", item.getExtendedPrice());
    r.put("l_discount", item.getDiscount());
    r.put("l_tax", item.getTax());
    r.put("l_returnflag", item.getReturnFlag());
    r.put("l_linestatus", item.getStatus());
    r.put("l_shipdate", item.getShipDate() * MICROS_PER_DAY);
    r.put("l_commitdate", item.getCommitDate() * MICROS_PER_DAY);
    r.put("l_receiptdate", item.getReceiptDate() * MICROS_PER_DAY);
    r.put("l_shipinstruct", item.getShipInstructions());
    r.put("l_shipmode", item.getShipMode());
    r.put("l_comment", item.getComment());
    return r;
  }
}
