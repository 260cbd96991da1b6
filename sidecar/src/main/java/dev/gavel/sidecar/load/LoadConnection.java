package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One connection of a load run: sends checks as one request, waiting for the answer or not. */
interface LoadConnection extends AutoCloseable {

    List<CheckResult> send(List<Check> checks) throws IOException;

    CompletableFuture<List<CheckResult>> sendAsync(List<Check> checks);

    @Override
    void close();
}
