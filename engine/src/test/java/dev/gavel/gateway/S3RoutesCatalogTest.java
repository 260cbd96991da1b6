package dev.gavel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.SharedCorpus;
import dev.gavel.directory.Authorizer;
import dev.gavel.json.JsonArray;
import dev.gavel.json.JsonObject;
import dev.gavel.json.JsonReader;
import dev.gavel.json.JsonSyntaxException;
import dev.gavel.json.JsonValue;
import dev.gavel.policy.ServiceCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every action the S3 mapping can emit is one of S3's actions in the service catalog, and every
 * key it can fill is one of S3's condition keys there, spelt as the catalog spells it. The lists
 * come from the mapping's own tables, so a route or key added later is checked too.
 */
class S3RoutesCatalogTest {

    @Test
    void everyActionIsAnS3ActionOfTheCatalog() throws IOException {
        ServiceCatalog catalog = ServiceCatalog.load(SharedCorpus.require("corpus/service-catalog.json.gz"));
        Set<S3Operation> operations = S3RouteTable.operations();
        assertThat(operations).hasSizeGreaterThan(90);
        for (S3Operation operation : operations) {
            assertThat(operation.action()).startsWith("s3:");
            assertThat(catalog.matchingActions("s3", operation.action().substring(3)))
                    .as(operation + " emits " + operation.action()).containsExactly(operation.action().substring(3));
        }
    }

    @Test
    void everyOperationIsRouted() {
        assertThat(S3RouteTable.operations()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(S3Operation.class));
    }

    @Test
    void everyKeyIsAnS3ConditionKeyOfTheCatalogSpeltAsThere() throws IOException, JsonSyntaxException {
        Set<String> catalogKeys = s3ConditionKeys(SharedCorpus.require("corpus/service-catalog.json.gz"));
        for (S3Keys group : S3Keys.values()) {
            for (String key : group.names()) {
                assertThat(catalogKeys).as(group + " fills " + key).contains(key);
                assertThat(Authorizer.isFilledKey(key)).as(key).isFalse();
            }
        }
    }

    private static Set<String> s3ConditionKeys(Path catalog) throws IOException, JsonSyntaxException {
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(catalog))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonValue root = new JsonReader(64 << 20, 16).read(text);
        JsonObject s3 = (JsonObject) ((JsonObject) root).get("s3");
        List<JsonValue> keys = ((JsonArray) s3.get("conditionKeys")).elements();
        Set<String> names = keys.stream().map(JsonValue::scalarText).collect(Collectors.toSet());
        assertThat(names).as("the catalog's s3 condition keys").contains("s3:prefix");
        return names;
    }
}
