package dev.gavel.sidecar.load;

import dev.gavel.sidecar.client.Check;
import dev.gavel.sidecar.client.CheckResult;
import java.io.IOException;
import java.util.List;

/**
 * How an HTTP endpoint of {@code gavel serve} is asked: the bytes of a request for some checks,
 * and the answers read from its response. The connection (keep-alive, pipelining) is shared.
 */
interface HttpCodec {

    /** The whole HTTP request asking these checks. */
    byte[] encode(List<Check> checks) throws IOException;

    /** The answers to a request of {@code checks} checks; an unexpected response throws. */
    List<CheckResult> decode(int checks, HttpChannel.Response response) throws IOException;

    /** The authorization API: {@code POST /v1/authorize}, or {@code /v1/authorize/batch} for more than one check. */
    HttpCodec API = new HttpCodec() {
        @Override
        public byte[] encode(List<Check> checks) throws IOException {
            return checks.size() == 1 ? HttpChannel.post("/v1/authorize", HttpJson.authorize(checks.get(0)))
                    : HttpChannel.post("/v1/authorize/batch", HttpJson.batch(checks));
        }

        @Override
        public List<CheckResult> decode(int checks, HttpChannel.Response response) throws IOException {
            if (response.status() != 200) {
                throw new IOException("HTTP " + response.status() + " " + HttpJson.error(response.body()));
            }
            return checks == 1 ? List.of(HttpJson.answer(response.body())) : HttpJson.answers(response.body(), checks);
        }
    };
}
