package dev.gavel.sidecar.binary;

import dev.gavel.sidecar.protocol.CheckRequestEncoder;
import dev.gavel.sidecar.protocol.ErrorCode;
import dev.gavel.sidecar.protocol.ErrorDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderDecoder;
import dev.gavel.sidecar.protocol.MessageHeaderEncoder;
import dev.gavel.sidecar.protocol.PrincipalKind;
import dev.gavel.sidecar.protocol.ValueKind;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A connection that writes and reads frames byte for byte, for tests of what a bad client can send. */
final class RawConnection implements AutoCloseable {

    /** A frame as read: its type, and its bytes. */
    record Frame(int templateId, UnsafeBuffer bytes) {

        ErrorCode errorCode() {
            MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(bytes, 0);
            return new ErrorDecoder().wrap(bytes, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version()).code();
        }

        long errorRequestId() {
            MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(bytes, 0);
            return new ErrorDecoder().wrap(bytes, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version()).requestId();
        }
    }

    final SocketChannel channel;

    RawConnection(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** The next frame, or null at the end of the stream. */
    Frame read() throws IOException {
        ByteBuffer length = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (!readFully(length)) {
            return null;
        }
        int frameLength = length.getInt(0);
        ByteBuffer frame = ByteBuffer.allocate(frameLength);
        frame.put(length.array());
        if (!readFully(frame)) {
            return null;
        }
        UnsafeBuffer bytes = new UnsafeBuffer(frame.array());
        return new Frame(new MessageHeaderDecoder().wrap(bytes, 0).templateId(), bytes);
    }

    private boolean readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads frames until the server closes the connection; returns the last one, or null. */
    Frame readUntilClosed() throws IOException {
        Frame last = null;
        Frame frame;
        while ((frame = read()) != null) {
            last = frame;
        }
        return last;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** A check request frame for one principal by ARN, with one single-valued fact. */
    static byte[] checkFrame(long requestId, int checks, String principal, String action, String resource) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        MessageHeaderEncoder header = new MessageHeaderEncoder();
        CheckRequestEncoder request = new CheckRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                .requestId(requestId);
        request.flags().clear();
        CheckRequestEncoder.ChecksEncoder encoder = request.checksCount(checks);
        for (int i = 0; i < checks; i++) {
            CheckRequestEncoder.ChecksEncoder.ContextEncoder facts = encoder.next().principalKind(PrincipalKind.ARN)
                    .contextCount(1);
            facts.next().valueKind(ValueKind.SINGLE).valuesCount(1).next().value("true");
            facts.key("aws:SecureTransport");
            encoder.principal(principal).sessionToken("").action(action).resource(resource);
        }
        header.frameLength(request.limit());
        byte[] bytes = new byte[request.limit()];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
