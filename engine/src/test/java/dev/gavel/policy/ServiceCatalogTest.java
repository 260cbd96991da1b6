package dev.gavel.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCatalogTest {

    @Test
    void actionsMatchingAPatternAreSpeltAsTheCatalogSpellsThem(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("catalog.json");
        Files.writeString(file, "{\"s3\": {\"actions\": [\"GetObject\", \"GetObjectAcl\", \"PutObject\", \"ListBucket\"]},"
                + " \"sqs\": {}}");
        ServiceCatalog catalog = ServiceCatalog.load(file);
        assertThat(catalog.matchingActions("S3", "get*")).containsExactly("GetObject", "GetObjectAcl");
        assertThat(catalog.matchingActions("s3", "*Object")).containsExactly("GetObject", "PutObject");
        assertThat(catalog.matchingActions("s3", "listbucket")).containsExactly("ListBucket");
        assertThat(catalog.matchingActions("s3", "Delete*")).isEmpty();
        assertThat(catalog.matchingActions("sqs", "*")).isEmpty();
        assertThat(catalog.matchingActions("ec2", "*")).isEmpty();
        assertThat(catalog.hasAction("s3", "getobject")).isTrue();
        assertThat(catalog.hasAction("s3", "Get*")).isTrue();
    }
}
