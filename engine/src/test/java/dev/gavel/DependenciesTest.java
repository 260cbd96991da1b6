package dev.gavel;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An embedded user depends on gavel-engine alone, which pulls none of the server's libraries. */
class DependenciesTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.eclipse.jetty.server.Server", "io.prometheus.metrics.core.metrics.Counter",
        "org.agrona.DirectBuffer", "io.netty.channel.Channel", "io.grpc.Server"})
    void theEngineClassPathHoldsNoServerLibrary(String serverClass) {
        assertThatThrownBy(() -> Class.forName(serverClass)).isInstanceOf(ClassNotFoundException.class);
    }
}
