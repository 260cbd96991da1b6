package dev.gavel.cli;

import dev.gavel.eval.RequestContext;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --context KEY=VALUE} option: the request facts a question is asked with. */
final class ContextOptions {

    @Option(names = "--context", paramLabel = "KEY=VALUE",
            description = "A request fact such as aws:SourceIp=192.0.2.1; repeat a key for a multivalued key, "
                    + "or give [v1,v2].")
    private List<String> context = new ArrayList<>();

    /** The {@code --context} options as a request context, or null after printing what is wrong. */
    RequestContext requestContext(PrintWriter err) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, Boolean> multivalued = new LinkedHashMap<>();
        for (String pair : context) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                err.println("gavel: --context " + pair + ": expected KEY=VALUE");
                return null;
            }
            String key = pair.substring(0, equals);
            String value = pair.substring(equals + 1);
            if (value.startsWith("[") && value.endsWith("]")) {
                multivalued.put(key, true);
                String inner = value.substring(1, value.length() - 1);
                values.computeIfAbsent(key, k -> new ArrayList<>())
                        .addAll(inner.isEmpty() ? List.of() : List.of(inner.split(",", -1)));
            } else {
                multivalued.merge(key, values.containsKey(key), Boolean::logicalOr);
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        RequestContext.Builder builder = RequestContext.builder();
        values.forEach((key, list) -> {
            if (multivalued.get(key)) {
                builder.putMultivalued(key, list);
            } else {
                builder.put(key, list.get(0));
            }
        });
        return builder.build();
    }
}
