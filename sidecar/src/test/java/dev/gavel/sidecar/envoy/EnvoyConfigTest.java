package dev.gavel.sidecar.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Envoy configuration README.md gives and {@code scripts/envoy-gavel.yaml} holds is one Envoy
 * accepts field by field: read as Envoy reads it (YAML, then proto3 JSON into its own
 * {@code Bootstrap} message, unknown fields refused), it sends every request to Gavel's socket
 * over HTTP/2, fails closed, and passes headers raw.
 */
class EnvoyConfigTest {

    private static final Path CONFIG = Path.of("scripts", "envoy-gavel.yaml");

    @Test
    void theExampleConfigurationIsEnvoysOwnBootstrapAndAsksGavelFailingClosed() throws IOException {
        Bootstrap bootstrap = read(Files.readString(CONFIG));

        HttpConnectionManager manager = bootstrap.getStaticResources().getListeners(0).getFilterChains(0)
                .getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        HttpFilter first = manager.getHttpFilters(0);
        assertThat(first.getName()).isEqualTo("envoy.filters.http.ext_authz");
        ExtAuthz extAuthz = first.getTypedConfig().unpack(ExtAuthz.class);
        assertThat(extAuthz.getTransportApiVersion()).isEqualTo(ApiVersion.V3);
        assertThat(extAuthz.getFailureModeAllow()).isFalse();
        assertThat(extAuthz.getEncodeRawHeaders()).isTrue();
        assertThat(extAuthz.getWithRequestBody().getPackAsBytes()).isTrue();
        String cluster = extAuthz.getGrpcService().getEnvoyGrpc().getClusterName();
        assertThat(manager.getHttpFilters(manager.getHttpFiltersCount() - 1).getTypedConfig().is(Router.class))
                .as("the router comes last").isTrue();

        Cluster gavel = bootstrap.getStaticResources().getClustersList().stream()
                .filter(c -> c.getName().equals(cluster)).findFirst().orElseThrow();
        assertThat(gavel.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getPipe()
                .getPath()).isEqualTo("/run/gavel/ext-authz.sock");
        assertThat(gavel.getTypedExtensionProtocolOptionsOrThrow("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .unpack(HttpProtocolOptions.class).getExplicitHttpConfig().hasHttp2ProtocolOptions())
                .as("gRPC needs HTTP/2").isTrue();
    }

    @Test
    void aMisspeltFieldIsRefusedAsEnvoyRefusesIt() {
        String misspelt = """
                static_resources:
                  clusters:
                  - name: gavel
                    conect_timeout: 0.25s
                """;
        assertThatThrownBy(() -> read(misspelt))
                .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("conect_timeout");
    }

    private static Bootstrap read(String yaml) throws IOException {
        JsonNode tree = new YAMLMapper().readTree(yaml);
        JsonFormat.TypeRegistry types = JsonFormat.TypeRegistry.newBuilder()
                .add(HttpConnectionManager.getDescriptor()).add(ExtAuthz.getDescriptor()).add(Router.getDescriptor())
                .add(HttpProtocolOptions.getDescriptor()).build();
        Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(types).merge(new ObjectMapper().writeValueAsString(tree), bootstrap);
        return bootstrap.build();
    }
}
