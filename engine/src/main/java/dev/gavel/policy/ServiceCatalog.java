package dev.gavel.policy;

import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.match.Wildcard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The AWS services and their actions, for telling a misspelt action from a real one. Loaded
 * from a catalog file shaped {@code {"prefix": {"actions": ["Name", ...], ...}, ...}}, gzipped or
 * not. Lookups ignore case, as IAM does.
 */
public final class ServiceCatalog {

    private static final int MAX_CATALOG_LENGTH = 64 << 20;

    /** The environment variable that names the catalog when no option does. */
    public static final String ENVIRONMENT = "GAVEL_SERVICE_CATALOG";
    /** Where the catalog is looked for last: the shared corpus beside the repository. */
    public static final Path SHARED_CORPUS = Path.of("..", "shared", "corpus", "service-catalog.json.gz");

    /** Each service's action names in lower case, for lookups. */
    private final Map<String, List<String>> actionsByService;
    /** Each service's action names as the catalog spells them, in its order. */
    private final Map<String, List<String>> namesByService;

    private ServiceCatalog(Map<String, List<String>> actionsByService, Map<String, List<String>> namesByService) {
        this.actionsByService = actionsByService;
        this.namesByService = namesByService;
    }

    /** Reads a catalog; a file ending in {@code .gz} is gunzipped. */
    public static ServiceCatalog load(Path file) throws IOException {
        String text;
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            text = new String(in.readNBytes(MAX_CATALOG_LENGTH), StandardCharsets.UTF_8);
        }
        JsonValue root;
        try {
            root = new JsonReader(MAX_CATALOG_LENGTH, 16).read(text);
        } catch (JsonSyntaxException e) {
            throw new IOException(file + ":" + e.position() + ": " + e.getMessage(), e);
        }
        if (!(root instanceof JsonObject services)) {
            throw new IOException(file + ": a service catalog must be a JSON object of services");
        }
        Map<String, List<String>> actions = new HashMap<>();
        Map<String, List<String>> spelt = new HashMap<>();
        for (JsonObject.Member service : services.members()) {
            List<String> names = List.of();
            if (service.value() instanceof JsonObject body && body.get("actions") instanceof JsonArray list) {
                names = list.elements().stream().map(JsonValue::scalarText).filter(n -> n != null).toList();
            }
            String prefix = service.name().toLowerCase(Locale.ROOT);
            actions.put(prefix, names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
            spelt.put(prefix, names);
        }
        return new ServiceCatalog(Map.copyOf(actions), Map.copyOf(spelt));
    }

    /**
     * The catalog the commands use: the file given, else {@code $GAVEL_SERVICE_CATALOG}, else
     * {@code ../shared/corpus/service-catalog.json.gz} when present; null when there is none.
     */
    public static ServiceCatalog locate(Path file) throws IOException {
        if (file != null) {
            return load(file);
        }
        String fromEnvironment = System.getenv(ENVIRONMENT);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return load(Path.of(fromEnvironment));
        }
        return Files.isRegularFile(SHARED_CORPUS) ? load(SHARED_CORPUS) : null;
    }

    public boolean hasService(String prefix) {
        return actionsByService.containsKey(prefix.toLowerCase(Locale.ROOT));
    }

    /** Whether the service has an action that the name (which may hold wildcards) matches. */
    public boolean hasAction(String prefix, String namePattern) {
        List<String> actions = actionsByService.get(prefix.toLowerCase(Locale.ROOT));
        if (actions == null) {
            return false;
        }
        String lower = namePattern.toLowerCase(Locale.ROOT);
        if (!Wildcard.hasWildcard(lower)) {
            return actions.contains(lower);
        }
        for (String action : actions) {
            if (Wildcard.matches(lower, action, false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The service's actions that the name (which may hold wildcards) matches, ignoring case, as
     * the catalog spells them and in its order; empty for an unknown service.
     */
    public List<String> matchingActions(String prefix, String namePattern) {
        List<String> names = namesByService.get(prefix.toLowerCase(Locale.ROOT));
        if (names == null) {
            return List.of();
        }
        List<String> matching = new ArrayList<>();
        for (String name : names) {
            if (Wildcard.matches(namePattern, name, true)) {
                matching.add(name);
            }
        }
        return matching;
    }

    /** Every action of every service, as {@code service:Name} with the catalog's spelling, by service then catalog order. */
    public List<String> actions() {
        List<String> all = new ArrayList<>();
        namesByService.keySet().stream().sorted().forEach(prefix -> {
            for (String name : namesByService.get(prefix)) {
                all.add(prefix + ":" + name);
            }
        });
        return List.copyOf(all);
    }

    public int serviceCount() {
        return actionsByService.size();
    }
}
