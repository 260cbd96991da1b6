package dev.gavel.sidecar.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The documents AWS's clients parse: an action's answer and an ErrorResponse, well formed whatever they quote. */
class StsXmlTest {

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static String text(Document document, String name) {
        return document.getElementsByTagNameNS(StsXml.NAMESPACE, name).item(0).getTextContent();
    }

    @Test
    void anAnswerIsTheActionsResponseWithItsResultAndRequestId() throws Exception {
        String xml = StsXml.result("GetCallerIdentity")
                .text("UserId", "AIDAEXAMPLE")
                .text("Account", "111122223333")
                .text("Arn", "arn:aws:iam::111122223333:user/alice")
                .text("Absent", null)
                .finish("GetCallerIdentity", "c6104cbe-af31-11e0-8154-cbc7ccf896c7");
        assertThat(xml).isEqualTo("""
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult>
                    <UserId>AIDAEXAMPLE</UserId>
                    <Account>111122223333</Account>
                    <Arn>arn:aws:iam::111122223333:user/alice</Arn>
                  </GetCallerIdentityResult>
                  <ResponseMetadata>
                    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
                  </ResponseMetadata>
                </GetCallerIdentityResponse>
                """);
        Document document = parse(xml);
        assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo(StsXml.NAMESPACE);
        assertThat(text(document, "Arn")).isEqualTo("arn:aws:iam::111122223333:user/alice");
    }

    @Test
    void nestedElementsAreIndentedAsAwsAnswers() throws Exception {
        String xml = StsXml.result("AssumeRole")
                .start("AssumedRoleUser").text("AssumedRoleId", "AROAEXAMPLE:s").text("Arn", "arn").end("AssumedRoleUser")
                .text("PackedPolicySize", "6")
                .finish("AssumeRole", "id");
        assertThat(xml).contains("""
                    <AssumedRoleUser>
                      <AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>
                      <Arn>arn</Arn>
                    </AssumedRoleUser>
                    <PackedPolicySize>6</PackedPolicySize>
                """);
        Element user = (Element) parse(xml).getElementsByTagNameNS(StsXml.NAMESPACE, "AssumedRoleUser").item(0);
        assertThat(user.getElementsByTagNameNS(StsXml.NAMESPACE, "Arn").item(0).getTextContent()).isEqualTo("arn");
    }

    @Test
    void anErrorResponseHasTheFaultTypeCodeMessageAndRequestId() throws Exception {
        String xml = StsXml.error(true, "AccessDenied", "User: arn:aws:iam::777788889999:user/auditor is not authorized",
                "req-1");
        assertThat(xml).isEqualTo("""
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error>
                    <Type>Sender</Type>
                    <Code>AccessDenied</Code>
                    <Message>User: arn:aws:iam::777788889999:user/auditor is not authorized</Message>
                  </Error>
                  <RequestId>req-1</RequestId>
                </ErrorResponse>
                """);
        assertThat(text(parse(StsXml.error(false, "InternalFailure", "m", "r")), "Type")).isEqualTo("Receiver");
    }

    @Test
    void textThatQuotesARequestIsEscapedAndStaysWellFormed() throws Exception {
        String hostile = "</Message><Code>Allowed</Code> & \"quoted\" 'single' \r\n\ttab \u0000\u0007\uFFFE \uD800 "
                + "\uD83D\uDD11 é";
        Document document = parse(StsXml.error(true, "ValidationError", hostile, "r"));
        assertThat(text(document, "Code")).isEqualTo("ValidationError");
        assertThat(text(document, "Message")).isEqualTo("</Message><Code>Allowed</Code> & \"quoted\" 'single' \r\n\t"
                + "tab \uFFFD\uFFFD\uFFFD \uFFFD \uD83D\uDD11 é");
    }
}
