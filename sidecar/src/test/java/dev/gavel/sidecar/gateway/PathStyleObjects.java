package dev.gavel.sidecar.gateway;

import dev.gavel.eval.RequestContext;
import dev.gavel.gateway.Authentication;
import dev.gavel.gateway.GatewayException;
import dev.gavel.gateway.GatewayRequest;
import dev.gavel.gateway.MappedRequest;
import dev.gavel.gateway.RequestMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A small S3 mapping for the front ends' tests: path-style {@code GET}/{@code HEAD} is
 * {@code s3:GetObject} and {@code PUT} is {@code s3:PutObject} on {@code /bucket/key}; anything
 * else is {@code NotImplemented}.
 */
final class PathStyleObjects implements RequestMapper {

    @Override
    public String signingName() {
        return "s3";
    }

    @Override
    public MappedRequest map(GatewayRequest request, Authentication authentication) throws GatewayException {
        String path = request.rawPath();
        int slash = path.indexOf('/', 1);
        if (slash < 0 || slash == path.length() - 1) {
            throw new GatewayException("NotImplemented", 501, "only object requests are mapped here");
        }
        String bucket = path.substring(1, slash);
        String key = URLDecoder.decode(path.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        String resource = "arn:aws:s3:::" + bucket + "/" + key;
        return switch (request.method()) {
            case "GET", "HEAD" -> new MappedRequest("GetObject", "s3:GetObject", resource, RequestContext.builder().build());
            case "PUT" -> new MappedRequest("PutObject", "s3:PutObject", resource, RequestContext.builder().build());
            default -> throw new GatewayException("NotImplemented", 501, request.method() + " is not mapped here");
        };
    }
}
