package dev.gavel.gateway;

/**
 * Maps an HTTP request to the action, resource and condition keys it asks for: Gavel's S3 REST
 * mapping ({@code S3Routes}) or a route table of the user's own ({@code RouteTable}).
 */
public interface RequestMapper {

    /** The SigV4 signing name requests must be scoped to, such as {@code s3}. */
    String signingName();

    /**
     * The request's action, resource and condition keys.
     *
     * @param authentication how the request was authenticated, for keys that depend on it
     * @throws GatewayException when the request maps to no operation, or is malformed for it
     */
    MappedRequest map(GatewayRequest request, Authentication authentication) throws GatewayException;
}
