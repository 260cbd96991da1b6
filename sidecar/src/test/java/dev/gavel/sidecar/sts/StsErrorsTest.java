package dev.gavel.sidecar.sts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each error code's HTTP status and fault type, as AWS answers them. */
class StsErrorsTest {

    @Test
    void refusalsOfTheCallersIdentityOrRightsAre403() {
        for (String code : new String[] {"AccessDenied", "SignatureDoesNotMatch", "InvalidClientTokenId", "ExpiredToken",
                "MissingAuthenticationToken", "RequestTimeTooSkewed", "IDPRejectedClaim", "RegionDisabledException"}) {
            assertThat(StsErrors.of(code)).as(code).isEqualTo(new StsErrors.Status(403, true));
        }
    }

    @Test
    void badParametersAndRequestsAre400() {
        for (String code : new String[] {"ValidationError", "InvalidParameterValue", "InvalidAction", "MissingAction",
                "InvalidQueryParameter", "IncompleteSignature", "MalformedPolicyDocument", "PackedPolicyTooLarge",
                "InvalidIdentityToken", "ExpiredTokenException", "IDPCommunicationError", "InvalidInput",
                "InvalidArgument", "XAmzContentSHA256Mismatch"}) {
            assertThat(StsErrors.of(code)).as(code).isEqualTo(new StsErrors.Status(400, true));
        }
    }

    @Test
    void theHttpLayersOwnRefusalsHaveTheirHttpStatuses() {
        assertThat(StsErrors.of("MethodNotAllowed")).isEqualTo(new StsErrors.Status(405, true));
        assertThat(StsErrors.of("RequestEntityTooLarge")).isEqualTo(new StsErrors.Status(413, true));
    }

    @Test
    void ourFaultsAreTheReceiversAnd5xx() {
        assertThat(StsErrors.of("InternalFailure")).isEqualTo(new StsErrors.Status(500, false));
        assertThat(StsErrors.of("ServiceUnavailable")).isEqualTo(new StsErrors.Status(503, false));
    }
}
