package dev.gavel.sidecar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The NGINX endpoint as NGINX's {@code auth_request} subrequests reach it: the client's request in
 * {@code X-Original-*} headers beside the client's signed headers, no body.
 */
class NginxAuthRequestTest {

    private static final String HOST = "s3.example.test:8080";

    @TempDir
    static Path folder;
    static GatewayServer server;
    static SocketClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new GatewayServer(folder);
        client = new SocketClient(server.socket());
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    /** The subrequest NGINX sends about a client request: its X-Original-* headers, then the client's headers. */
    static List<Map.Entry<String, String>> subrequest(SdkHttpRequest original) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String query = original.encodedQueryParameters().map(q -> "?" + q).orElse("");
        headers.add(Map.entry("X-Original-Method", original.method().name()));
        headers.add(Map.entry("X-Original-URI", original.encodedPath() + query));
        headers.add(Map.entry("X-Original-Host", HOST));
        headers.add(Map.entry("X-Forwarded-Proto", "http"));
        headers.add(Map.entry("X-Forwarded-For", "192.0.2.10"));
        original.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Content-Length")) {
                headers.add(Map.entry("X-Original-Content-Length", values.get(0)));
            } else if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> headers.add(Map.entry(name, value)));
            }
        });
        return headers;
    }

    static SocketClient.Reply ask(List<Map.Entry<String, String>> headers) throws Exception {
        return client.send("GET", NginxAuthRequest.PATH, headers, null);
    }

    static SdkHttpRequest signed(String method, String pathAndQuery, String body) {
        return Signing.sign(method, URI.create("http://" + HOST + pathAndQuery), body);
    }

    /** The refusal's one-line XML body, parsed. */
    static Element errorXml(SocketClient.Reply reply) throws Exception {
        String xml = reply.headers().get(NginxAuthRequest.ERROR_XML_HEADER);
        assertThat(xml).isNotNull().doesNotContain("\n").matches("\\p{ASCII}*");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.US_ASCII))).getDocumentElement();
    }

    static String text(Element element, String name) {
        return element.getElementsByTagName(name).item(0).getTextContent();
    }

    @Test
    void anAllowedRequestIs200WithThePrincipalAndTheDecisionIdForAuthRequestSet() throws Exception {
        SocketClient.Reply reply = ask(subrequest(signed("GET", "/photos/summer/beach.jpg", "")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("x-gavel-principal")).isEqualTo(GatewayServer.ALICE);
        assertThat(reply.headers().get("x-gavel-decision-id")).isNotBlank();
        assertThat(reply.headers().get(NginxAuthRequest.STATUS_HEADER)).isNull();
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void aDeniedRequestIs403WithAccessDeniedInHeadersAndTheXmlBody() throws Exception {
        SocketClient.Reply reply = ask(subrequest(signed("GET", "/photos/private/diary.txt", "")));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.headers().get(NginxAuthRequest.STATUS_HEADER)).isEqualTo("403");
        assertThat(reply.headers().get(NginxAuthRequest.ERROR_CODE_HEADER)).isEqualTo("AccessDenied");
        assertThat(reply.headers().get(NginxAuthRequest.ERROR_MESSAGE_HEADER))
                .contains(GatewayServer.ALICE, "s3:GetObject", "arn:aws:s3:::photos/private/diary.txt", "explicit deny");
        String decisionId = reply.headers().get("x-gavel-decision-id");
        assertThat(reply.headers().get("x-amz-request-id")).isEqualTo(decisionId);
        assertThat(reply.headers().get("x-gavel-principal")).isNull();
        Element error = errorXml(reply);
        assertThat(text(error, "Code")).isEqualTo("AccessDenied");
        assertThat(text(error, "Message")).isEqualTo(reply.headers().get(NginxAuthRequest.ERROR_MESSAGE_HEADER));
        assertThat(text(error, "Resource")).isEqualTo("/photos/private/diary.txt");
        assertThat(text(error, "RequestId")).isEqualTo(decisionId);
    }

    @Test
    void aSignatureForAnotherRequestIsSignatureDoesNotMatch() throws Exception {
        List<Map.Entry<String, String>> headers = subrequest(signed("GET", "/photos/summer/beach.jpg", ""));
        headers.set(1, Map.entry("X-Original-URI", "/photos/summer/other.jpg"));

        SocketClient.Reply reply = ask(headers);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.headers().get(NginxAuthRequest.STATUS_HEADER)).isEqualTo("403");
        assertThat(text(errorXml(reply), "Code")).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void aPutIsVerifiedWithTheContentLengthTheClientSignedOnlyWhenTheProxyPassesIt() throws Exception {
        List<Map.Entry<String, String>> headers = subrequest(signed("PUT", "/photos/uploads/note.txt", "hello"));
        assertThat(headers).contains(Map.entry("X-Original-Content-Length", "5"));

        assertThat(ask(headers).status()).isEqualTo(200);

        headers.removeIf(header -> header.getKey().equals("X-Original-Content-Length"));
        SocketClient.Reply withoutLength = ask(headers);
        assertThat(withoutLength.status()).isEqualTo(403);
        assertThat(withoutLength.headers().get(NginxAuthRequest.ERROR_CODE_HEADER)).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void aSignedHeaderIsVerifiedAsTheClientWroteIt() throws Exception {
        // Jetty knows "text/plain; charset=utf-8"; a value differing from it in case must not be read as it.
        SdkHttpRequest put = Signing.sign("PUT", URI.create("http://" + HOST + "/photos/uploads/note.txt"), "hello",
                "text/plain; charset=UTF-8");

        assertThat(ask(subrequest(put)).status()).isEqualTo(200);
    }

    @Test
    void theClientsAddressIsTheLastForwardedAddressOfTheProxyOnTheSocket() throws Exception {
        List<Map.Entry<String, String>> outside = subrequest(signed("GET", "/photos/office/plan.pdf", ""));
        assertThat(outside).contains(Map.entry("X-Forwarded-For", "192.0.2.10"));
        assertThat(ask(outside).headers().get(NginxAuthRequest.ERROR_CODE_HEADER)).isEqualTo("AccessDenied");
        assertThat(ask(forwardedFor(outside, "10.9.9.9, 192.0.2.10")).headers()
                .get(NginxAuthRequest.ERROR_CODE_HEADER)).as("an address the client wrote itself").isEqualTo("AccessDenied");

        assertThat(ask(forwardedFor(outside, "192.0.2.10, 10.1.2.3")).status()).isEqualTo(200);
    }

    private static List<Map.Entry<String, String>> forwardedFor(List<Map.Entry<String, String>> headers, String value) {
        List<Map.Entry<String, String>> changed = new ArrayList<>(headers);
        changed.replaceAll(header -> header.getKey().equals("X-Forwarded-For") ? Map.entry("X-Forwarded-For", value)
                : header);
        return changed;
    }

    @Test
    void anUnsignedRequestIsTheAnonymousCallerAndDenied() throws Exception {
        SocketClient.Reply reply = ask(List.of(Map.entry("X-Original-Method", "GET"),
                Map.entry("X-Original-URI", "/photos/summer/beach.jpg"), Map.entry("X-Original-Host", HOST)));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.headers().get(NginxAuthRequest.ERROR_MESSAGE_HEADER)).startsWith("Anonymous caller");
    }

    @Test
    void aRequestTheMapperRefusesCarriesItsOwnStatus() throws Exception {
        SocketClient.Reply reply = ask(subrequest(signed("POST", "/photos?delete", "")));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.headers().get(NginxAuthRequest.STATUS_HEADER)).isEqualTo("501");
        assertThat(reply.headers().get(NginxAuthRequest.ERROR_CODE_HEADER)).isEqualTo("NotImplemented");
    }

    @Test
    void aSubrequestWithoutTheOriginalUriIsRefusedAsTheProxysFault() throws Exception {
        List<Map.Entry<String, String>> headers = subrequest(signed("GET", "/photos/summer/beach.jpg", ""));
        headers.removeIf(header -> header.getKey().equals("X-Original-URI"));

        SocketClient.Reply reply = ask(headers);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.headers().get("x-gavel-principal")).isNull();
        assertThat(reply.headers().get(NginxAuthRequest.STATUS_HEADER)).isEqualTo("500");
        assertThat(reply.headers().get(NginxAuthRequest.ERROR_CODE_HEADER)).isEqualTo("InternalError");
        assertThat(reply.headers().get(NginxAuthRequest.ERROR_MESSAGE_HEADER))
                .contains("X-Original-URI", "proxy_set_header X-Original-URI $request_uri");
        assertThat(text(errorXml(reply), "RequestId")).isEqualTo(reply.headers().get("x-amz-request-id"));
    }

    @Test
    void aMessageBeyondAsciiTravelsAsCharacterReferencesAndReadsBackTheSame() throws Exception {
        SocketClient.Reply reply = ask(subrequest(signed("GET", "/photos/private/%C3%A9t%C3%A9%20%26%20%3Cmer%3E.jpg",
                "")));

        Element error = errorXml(reply);
        assertThat(text(error, "Message")).contains("arn:aws:s3:::photos/private/été & <mer>.jpg");
        assertThat(reply.headers().get(NginxAuthRequest.ERROR_MESSAGE_HEADER))
                .contains("photos/private/?t? & <mer>.jpg");
    }
}
