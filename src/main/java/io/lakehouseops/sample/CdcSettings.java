package io.lakehouseops.sample;

/**
 * sample-data --cdc: a table filled the way a streaming upsert writer fills it. rows: keys
 * inserted over all commits; updateFraction, deleteFraction: of rows, how many updates and
 * deletes the commits carry in all (each one equality delete on the key); days: the spread of
 * created_at, the partition column.
 */
public record CdcSettings(long rows, int commits, double updateFraction, double deleteFraction, int days,
    int formatVersion, long seed) {}
