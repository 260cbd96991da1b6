package dev.gavel.sidecar;

import dev.gavel.sidecar.load.LoadCommand;
import dev.gavel.sidecar.source.BundleCommand;
import java.util.List;

/** The subcommands the sidecar adds to {@code gavel}; each is a picocli command object. */
final class SidecarCommands {

    private SidecarCommands() {}

    static List<Object> all() {
        return List.of(new ServeCommand(), new LoadCommand(), new BundleCommand());
    }
}
