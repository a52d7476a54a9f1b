package io.lakehouseops.lineage;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds the OpenLineage run events of one run with the official client's model: the job
 * (namespace, `command[.dataset]`), the run (its UUID, the Airflow parent, the processing
 * engine), inputs and outputs named by location, with the schema facet of each table and the
 * data-quality assertions facet of a gated input. tables: describes an Iceberg table by its
 * catalog name (empty when it cannot be loaded: it is then named by its default location).
 */
final class RunEvents {
  private final OpenLineage openLineage;
  private final LineageRun run;
  private final Function<String, Optional<TableDescription>> tables;

  RunEvents(LineageRun run, Function<String, Optional<TableDescription>> tables) {
    // The producer: this tool and its version, as a URN (OpenLineage asks for a URI).
    this.openLineage = new OpenLineage(URI.create("urn:lakehouse-ops:" + run.version()));
    this.run = run;
    this.tables = tables;
  }

  /** The run's id as OpenLineage wants it, a UUID: ours when it is one, else derived from it. */
  static UUID runUuid(String runId) {
    try {
      return UUID.fromString(runId);
    } catch (IllegalArgumentException e) {
      return UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8));
    }
  }

  OpenLineage.RunEvent start(LineageDatasets datasets) {
    return event(EventType.START, datasets, null);
  }

  OpenLineage.RunEvent complete(LineageDatasets datasets) {
    return event(EventType.COMPLETE, datasets, null);
  }

  /** error: the report's one-line message, already redacted. */
  OpenLineage.RunEvent fail(LineageDatasets datasets, String error) {
    return event(EventType.FAIL, datasets, error);
  }

  private OpenLineage.RunEvent event(EventType type, LineageDatasets datasets, String error) {
    OpenLineage.RunFacetsBuilder facets = openLineage.newRunFacetsBuilder()
        .processing_engine(openLineage.newProcessingEngineRunFacet(run.sparkVersion(), "lakehouse-ops",
            run.version()));
    run.parent().ifPresent(parent -> facets.parent(openLineage.newParentRunFacetBuilder()
        .run(openLineage.newParentRunFacetRun(parent.runId()))
        .job(openLineage.newParentRunFacetJob(parent.namespace(), parent.jobName()))
        .build()));
    if (error != null) {
      facets.errorMessage(openLineage.newErrorMessageRunFacet(error, "JAVA", null));
    }
    OpenLineage.JobFacets jobFacets = openLineage.newJobFacetsBuilder()
        .jobType(openLineage.newJobTypeJobFacet("BATCH", "SPARK", "JOB")).build();
    return openLineage.newRunEventBuilder()
        .eventTime(ZonedDateTime.now(ZoneOffset.UTC))
        .eventType(type)
        .run(openLineage.newRun(runUuid(run.runId()), facets.build()))
        .job(openLineage.newJob(run.namespace(), run.jobName(), jobFacets))
        .inputs(datasets.inputs().stream().map(this::input).toList())
        .outputs(datasets.outputs().stream().map(this::output).toList())
        .build();
  }

  private OpenLineage.InputDataset input(LineageDataset dataset) {
    Named named = named(dataset);
    OpenLineage.InputDatasetBuilder input = openLineage.newInputDatasetBuilder()
        .namespace(named.name().namespace()).name(named.name().name()).facets(named.facets());
    if (!dataset.assertions().isEmpty()) {
      input.inputFacets(openLineage.newInputDatasetInputFacetsBuilder()
          .dataQualityAssertions(openLineage.newDataQualityAssertionsDatasetFacet(dataset.assertions().stream()
              .map(a -> openLineage.newDataQualityAssertionsDatasetFacetAssertionsBuilder()
                  .assertion(a.assertion()).success(a.success()).column(a.column()).build())
              .toList()))
          .build());
    }
    return input.build();
  }

  private OpenLineage.OutputDataset output(LineageDataset dataset) {
    Named named = named(dataset);
    return openLineage.newOutputDatasetBuilder()
        .namespace(named.name().namespace()).name(named.name().name()).facets(named.facets()).build();
  }

  private record Named(DatasetNames.Name name, OpenLineage.DatasetFacets facets) {}

  /** A location as it is; a table by its location, with its schema and its catalog name as a symlink. */
  private Named named(LineageDataset dataset) {
    if (dataset.kind() == LineageDataset.Kind.LOCATION) {
      return new Named(DatasetNames.of(dataset.id()), null);
    }
    Optional<TableDescription> table = tables.apply(dataset.id());
    String location = table.map(TableDescription::location).orElseGet(() -> run.defaultLocation(dataset.id()));
    OpenLineage.DatasetFacetsBuilder facets = openLineage.newDatasetFacetsBuilder()
        .symlinks(openLineage.newSymlinksDatasetFacet(List.of(
            openLineage.newSymlinksDatasetFacetIdentifiers(run.catalogNamespace(), dataset.id(), "TABLE"))));
    table.ifPresent(t -> facets.schema(openLineage.newSchemaDatasetFacet(t.columns().stream()
        .map(c -> openLineage.newSchemaDatasetFacetFieldsBuilder().name(c.name()).type(c.type()).build())
        .toList())));
    return new Named(DatasetNames.of(location), facets.build());
  }
}
