/**
 * AWS STS's query API on the sidecar's HTTP API, so that AWS SDKs and the AWS CLI obtain sessions
 * from Gavel ({@code gavel serve --sts}).
 *
 * <h2>The flow of a request</h2>
 *
 * <pre>
 * StsQueryApi        Jetty: POST or GET at /, the body read without blocking, then the pool
 *   QueryRequest     the request as it arrived; its parameters from the query string and the form
 *     QueryForm      form text, strictly decoded
 *   StsEndpoint      the action and version; SigV4 for the actions AWS signs; errors to replies
 *     StsActions     per directory: parameters (ActionParameters) to the engine's Sts, the result
 *     StsXml         AWS's documents: ...Response, ErrorResponse
 *     StsErrors      each error code's HTTP status and fault type
 * </pre>
 *
 * <p>The package decides nothing about who may assume what: the engine's {@link dev.gavel.sts.Sts}
 * does, as it does for {@code gavel sts}. What this package owns is the wire: AWS's parameter names
 * and list encoding, its documents, its error codes and statuses, and refusing anything it does not
 * understand rather than guessing.
 */
package dev.gavel.sidecar.sts;
