package dev.gavel.sidecar.client;

/**
 * A request encoded once, to send many times: each send copies its bytes and gives it a new
 * request id. For clients that repeat the same checks, and for load generators, whose own
 * encoding would otherwise be measured with the server.
 */
public final class PreparedRequest {

    final byte[] frame;
    final int checks;

    PreparedRequest(byte[] frame, int checks) {
        this.frame = frame;
        this.checks = checks;
    }

    /** How many checks the request holds. */
    public int checks() {
        return checks;
    }

    /** The encoded frame's length in bytes. */
    public int bytes() {
        return frame.length;
    }

    @Override
    public String toString() {
        return "PreparedRequest[" + checks + " checks, " + frame.length + " bytes]";
    }
}
