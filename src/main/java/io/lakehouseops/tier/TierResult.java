package io.lakehouseops.tier;

import java.util.List;
import java.util.Map;

/** tier's report result (in a dry run: what would move and what it would cost). */
public record TierResult(
    String table,
    boolean dryRun,
    String asOf,
    List<String> rules,
    long filesConsidered,
    long filesToMove,
    long filesMoved,
    long filesSkipped,
    long filesFailed,
    List<String> failedKeys,
    Map<String, Long> bytesByClassBefore,
    Map<String, Long> bytesByClassAfter,
    Map<String, Long> filesByTargetClass,
    Map<String, Long> bytesByTargetClass,
    long requests,
    double monthlyCostBefore,
    double monthlyCostAfter,
    double projectedMonthlySaving,
    double oneOffRequestCost,
    long noncurrentVersionBytes,
    List<String> warnings) {}
