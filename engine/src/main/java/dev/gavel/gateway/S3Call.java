package dev.gavel.gateway;

/** One S3 request being mapped: the request as received, its decoded query, its authentication and its operation. */
record S3Call(GatewayRequest request, S3Query query, Authentication authentication, S3Operation operation) {}
