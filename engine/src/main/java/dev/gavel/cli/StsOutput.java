package dev.gavel.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gavel.sts.IssuedSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import picocli.CommandLine.Option;

/** How {@code gavel sts} commands print what they issue: as {@code aws sts} does, or for a shell. */
final class StsOutput {

    /** Output formats. */
    enum Format { JSON, TEXT }

    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (as 'aws sts' prints) or text: ACCESS_KEY_ID SECRET_ACCESS_KEY SESSION_TOKEN on one "
                    + "line, for 'read KEY SECRET TOKEN' (default: ${DEFAULT-VALUE}).")
    Format format;

    /**
     * Prints an issued session; {@code roleId} is the assumed role's id, null for a user's session.
     * {@code PackedPolicySize} appears when the request passed session policies or tags, and the
     * flow's own fields ({@code SourceIdentity} among them) follow in the order AWS prints them.
     */
    void print(PrintWriter out, IssuedSession issued, String roleId) {
        if (format == Format.TEXT) {
            out.println(issued.credentials().accessKeyId() + " " + issued.credentials().secretAccessKey() + " "
                    + issued.credentials().sessionToken());
            out.flush();
            return;
        }
        Map<String, String> details = issued.details();
        out.println(AwsJson.write(json -> {
            json.writeObjectFieldStart("Credentials");
            json.writeStringField("AccessKeyId", issued.credentials().accessKeyId());
            json.writeStringField("SecretAccessKey", issued.credentials().secretAccessKey());
            json.writeStringField("SessionToken", issued.credentials().sessionToken());
            json.writeStringField("Expiration", EXPIRATION.format(issued.credentials().expiration()));
            json.writeEndObject();
            if (details.containsKey("SubjectFromWebIdentityToken")) {
                json.writeStringField("SubjectFromWebIdentityToken", details.get("SubjectFromWebIdentityToken"));
            }
            if (roleId != null) {
                json.writeObjectFieldStart("AssumedRoleUser");
                json.writeStringField("AssumedRoleId", issued.assumedRoleId(roleId));
                json.writeStringField("Arn", issued.session().principalArn());
                json.writeEndObject();
            }
            if (issued.packedPolicySize() != null) {
                json.writeNumberField("PackedPolicySize", issued.packedPolicySize());
            }
            writeDetails(json, details);
        }));
        out.flush();
    }

    private static void writeDetails(JsonGenerator json, Map<String, String> details) throws IOException {
        for (Map.Entry<String, String> detail : details.entrySet()) {
            if (!detail.getKey().equals("SubjectFromWebIdentityToken")) {
                json.writeStringField(detail.getKey(), detail.getValue());
            }
        }
    }

    /** A parameter given inline or, as the AWS CLI allows, as {@code file://PATH}. */
    static String inlineOrFile(String value) throws IOException {
        if (value != null && value.startsWith("file://")) {
            return Files.readString(Path.of(value.substring("file://".length()))).strip();
        }
        return value;
    }

    /** What the AWS CLI prints for a refused call. */
    static String error(String operation, dev.gavel.sts.StsException e) {
        return "An error occurred (" + e.code() + ") when calling the " + operation + " operation: " + e.getMessage();
    }
}
