package dev.gavel.sidecar.envoy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.gavel.gateway.GatewayException;
import dev.gavel.gateway.GatewayRequest;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's request as read out of Envoy's check request. */
class CheckRequestsTest {

    private static AttributeContext.HttpRequest.Builder http() {
        return AttributeContext.HttpRequest.newBuilder().setMethod("GET").setScheme("https")
                .setHost("photos.s3.amazonaws.com").setPath("/2026/a%20b.jpg?versionId=3&prefix=%2Fx")
                .putHeaders(":authority", "photos.s3.amazonaws.com").putHeaders(":method", "GET")
                .putHeaders(":path", "/2026/a%20b.jpg?versionId=3&prefix=%2Fx").putHeaders(":scheme", "https")
                .putHeaders("x-amz-date", "20261201T103000Z").putHeaders("accept", "image/jpeg,image/png");
    }

    private static CheckRequest check(AttributeContext.HttpRequest.Builder http, Address source) {
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setSource(AttributeContext.Peer.newBuilder().setAddress(source))
                .setRequest(AttributeContext.Request.newBuilder().setHttp(http))).build();
    }

    private static CheckRequest check(AttributeContext.HttpRequest.Builder http) {
        return check(http, Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                .setAddress("2001:db8::7").setPortValue(40_000)).build());
    }

    @Test
    void theTargetSplitsIntoRawPathAndRawQueryStillEncoded() throws GatewayException {
        GatewayRequest request = CheckRequests.gatewayRequest(check(http()));

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo("/2026/a%20b.jpg");
        assertThat(request.rawQuery()).isEqualTo("versionId=3&prefix=%2Fx");
        assertThat(request.secure()).isTrue();
        assertThat(request.peerAddress()).isEqualTo("2001:db8::7");
        assertThat(request.body()).isNull();

        GatewayRequest noQuery = CheckRequests.gatewayRequest(check(http().setPath("/2026/")));
        assertThat(noQuery.rawPath()).isEqualTo("/2026/");
        assertThat(noQuery.rawQuery()).isEmpty();
    }

    @Test
    void pseudoHeadersAreDroppedAndTheAuthorityIsTheHost() throws GatewayException {
        GatewayRequest request = CheckRequests.gatewayRequest(check(http()));
        assertThat(request.headers()).containsOnlyKeys("x-amz-date", "accept");
        assertThat(request.header("accept")).isEqualTo("image/jpeg,image/png");
        assertThat(request.host()).isEqualTo("photos.s3.amazonaws.com");

        GatewayRequest noHost = CheckRequests.gatewayRequest(check(http().clearHost()
                .putHeaders(":authority", "videos.s3.amazonaws.com:8443")));
        assertThat(noHost.host()).isEqualTo("videos.s3.amazonaws.com:8443");
    }

    @Test
    void theRawHeaderMapKeepsRepeatedHeadersApartAndTheirBytes() throws GatewayException {
        HeaderMap headers = HeaderMap.newBuilder()
                .addHeaders(HeaderValue.newBuilder().setKey(":authority").setRawValue(bytes("photos.s3.amazonaws.com")))
                .addHeaders(HeaderValue.newBuilder().setKey("X-Amz-Meta-Tag").setRawValue(bytes("caf\u00e9")))
                .addHeaders(HeaderValue.newBuilder().setKey("x-amz-meta-tag").setRawValue(bytes("bar")))
                .addHeaders(HeaderValue.newBuilder().setKey("accept").setValue("image/png"))
                .build();
        GatewayRequest request = CheckRequests.gatewayRequest(check(http().clearHeaders().setHeaderMap(headers)));

        assertThat(request.headers()).containsOnlyKeys("x-amz-meta-tag", "accept");
        assertThat(request.headerValues("x-amz-meta-tag")).containsExactly("caf\u00e9", "bar");
        assertThat(request.header("accept")).isEqualTo("image/png");
    }

    @Test
    void theBodyIsTheRawBodyOrTheBodysBytesAndNoneWhenPartial() throws GatewayException {
        byte[] binary = {(byte) 0xff, 0, (byte) 0xc3, 0x28};
        assertThat(CheckRequests.gatewayRequest(check(http().setRawBody(ByteString.copyFrom(binary)))).body())
                .isEqualTo(binary);
        assertThat(CheckRequests.gatewayRequest(check(http().setBody("{\"a\": 1}"))).body())
                .isEqualTo("{\"a\": 1}".getBytes(UTF_8));
        assertThat(CheckRequests.gatewayRequest(check(http().setRawBody(ByteString.copyFrom(binary))
                .putHeaders(CheckRequests.PARTIAL_BODY_HEADER, "true"))).body()).isNull();
        assertThat(CheckRequests.gatewayRequest(check(http().setRawBody(ByteString.copyFrom(binary))
                .putHeaders(CheckRequests.PARTIAL_BODY_HEADER, "false"))).body()).isEqualTo(binary);
    }

    @Test
    void aPeerWithoutAnIpAddressIsNone() throws GatewayException {
        Address pipe = Address.newBuilder().setPipe(Pipe.newBuilder().setPath("/run/envoy/downstream.sock")).build();
        assertThat(CheckRequests.gatewayRequest(check(http(), pipe)).peerAddress()).isNull();
    }

    @Test
    void withoutASchemeTheRequestIsNotTakenForTls() throws GatewayException {
        assertThat(CheckRequests.gatewayRequest(check(http().clearScheme())).secure()).isFalse();
    }

    @Test
    void aCheckWithoutAnHttpRequestMethodOrPathIsRefused() {
        for (CheckRequest unreadable : List.of(CheckRequest.getDefaultInstance(), check(http().clearMethod()),
                check(http().clearPath()))) {
            assertThatThrownBy(() -> CheckRequests.gatewayRequest(unreadable))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.code()).isEqualTo("AccessDenied");
                        assertThat(e.status()).isEqualTo(403);
                    })
                    .hasMessageStartingWith("Access Denied: the check request from Envoy cannot be decided: it");
        }
    }

    private static ByteString bytes(String text) {
        return ByteString.copyFrom(text, UTF_8);
    }
}
