package dev.gavel.cli;

import dev.gavel.policy.ServiceCatalog;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --service-catalog} and {@code --no-service-catalog} options of the commands that read AWS's actions. */
final class CatalogOptions {

    @Option(names = "--service-catalog", paramLabel = "FILE",
            description = "Service catalog of AWS's actions, to check action names and expand wildcards such as "
                    + "s3:Get* (default: $" + ServiceCatalog.ENVIRONMENT
                    + ", else ../shared/corpus/service-catalog.json.gz when present).")
    private Path catalogPath;

    @Option(names = "--no-service-catalog", description = "Use no service catalog: action patterns are taken as "
            + "written.")
    private boolean noCatalog;

    /**
     * The catalog, null when there is none or {@code --no-service-catalog} is given.
     *
     * @throws IOException when the catalog cannot be read
     */
    ServiceCatalog load() throws IOException {
        return noCatalog ? null : ServiceCatalog.locate(catalogPath);
    }
}
