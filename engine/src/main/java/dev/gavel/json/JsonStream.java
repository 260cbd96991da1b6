package dev.gavel.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads one large JSON text from a {@link Reader} a value at a time, with jackson-core's streaming
 * parser, so that a text many times larger than the values it holds is never in memory at once.
 *
 * <p>The caller walks the outer structure token by token ({@link #next}) and either reads a value
 * whole ({@link #readValue}), as the tree and the text of just that value, or skips it
 * ({@link #skipValue}) without keeping anything. Positions are those {@link JsonReader} gives
 * for the whole text: line and column in the text, so that errors name the file's line, but
 * offsets counted from the start of the value read, so that they index its own text.
 *
 * <p>The limits and the errors are those of {@link JsonReader}: a text over {@code maxLength}
 * characters, or nested deeper than {@code maxDepth}, is refused; and when a text is broken in
 * several ways the exception is the one {@code JsonReader} would give for the whole text. That is
 * why, after a syntax error, the rest of the input is still read (and dropped): if it cannot be
 * decoded, the reader's {@link IOException} comes first, as it would when the whole text is read
 * into a String first; if it is too long, the length error comes next.
 *
 * <p>How the value's text is kept: jackson reads the input in blocks of a few thousand characters
 * ahead of the token it returns. Between values the stream keeps only the block read last, which
 * always holds the opening bracket of the current token; while a value is read it keeps every
 * block from that bracket on. So the memory held is one value and one block, whatever the size of
 * the text.
 */
public final class JsonStream implements Closeable {

    /** What the current token is. */
    public enum Token { START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, NAME, SCALAR }

    /**
     * One value read whole: its tree, with offsets counted from the value's first character, and
     * its text when it is an object or an array (null for a scalar).
     */
    public record Captured(JsonValue value, String text) {}

    private final Window window;
    private final JsonParser parser;
    private final int maxLength;
    private JsonToken token;

    /**
     * @param reader the text; closed with this stream
     * @param maxLength the longest text accepted, in characters
     * @param maxDepth the deepest nesting of objects and arrays accepted
     */
    public JsonStream(Reader reader, int maxLength, int maxDepth) throws IOException {
        this.maxLength = maxLength;
        this.window = new Window(reader, maxLength);
        this.parser = JsonReader.factory(maxLength, maxDepth).createParser(window);
        // The rest of the input is read after a syntax error, so the parser must not close it at its end.
        parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    /** Moves to the first token of the text; an empty text is a syntax error. */
    public Token begin() throws JsonSyntaxException, IOException {
        Token first = next();
        if (first == null) {
            throw failure(new JsonSyntaxException("empty input: expected a JSON value", new Position(1, 1, 0), false));
        }
        return first;
    }

    /** Moves to the next token: null at the end of the text. */
    public Token next() throws JsonSyntaxException, IOException {
        try {
            token = parser.nextToken();
        } catch (JsonProcessingException e) {
            throw failure(JsonReader.syntaxException(e, 0));
        } catch (Window.TooLong e) {
            throw tooLong();
        }
        return token();
    }

    /** The current token, or null before the first and after the last. */
    public Token token() {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_OBJECT -> Token.START_OBJECT;
            case END_OBJECT -> Token.END_OBJECT;
            case START_ARRAY -> Token.START_ARRAY;
            case END_ARRAY -> Token.END_ARRAY;
            case FIELD_NAME -> Token.NAME;
            default -> Token.SCALAR;
        };
    }

    /** The member name, when the current token is a {@link Token#NAME}. */
    public String name() throws IOException {
        return parser.currentName();
    }

    /** Where the current token starts, its offset counted from the start of the text. */
    public Position position() {
        return JsonReader.position(parser.currentTokenLocation(), 0, 0);
    }

    /** The JSON type of the value the current token starts, as {@link JsonValue#typeName()} names it. */
    public String typeName() {
        return switch (token) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> throw new IllegalStateException("no value starts at " + token);
        };
    }

    /** Reads the value the current token starts, through its last token. */
    public Captured readValue() throws JsonSyntaxException, IOException {
        boolean structured = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        long from = parser.currentTokenLocation().getCharOffset();
        if (structured) {
            window.keepFrom(from);
        }
        try {
            JsonValue value = JsonReader.readValue(parser, token, 0, from);
            String text = structured ? window.text(from, parser.currentTokenLocation().getCharOffset() + 1) : null;
            return new Captured(value, text);
        } catch (JsonProcessingException e) {
            throw failure(JsonReader.syntaxException(e, 0));
        } catch (Window.TooLong e) {
            throw tooLong();
        } finally {
            window.keepLastBlock();
        }
    }

    /** Skips the value the current token starts, through its last token, keeping nothing. */
    public void skipValue() throws JsonSyntaxException, IOException {
        try {
            parser.skipChildren();
        } catch (JsonProcessingException e) {
            throw failure(JsonReader.syntaxException(e, 0));
        } catch (Window.TooLong e) {
            throw tooLong();
        }
    }

    /** Checks that nothing but whitespace follows the first value of the text. */
    public void end() throws JsonSyntaxException, IOException {
        try {
            if (parser.nextToken() != null) {
                throw failure(JsonReader.trailingContent(parser, 0));
            }
        } catch (JsonProcessingException e) {
            throw failure(JsonReader.syntaxException(e, 0));
        } catch (Window.TooLong e) {
            throw tooLong();
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
        window.close();
    }

    /**
     * The exception to throw for {@code syntax}, after reading the rest of the input so that a
     * decoding error or the length limit takes precedence, as when the whole text is read into a
     * String before it is parsed.
     */
    private JsonSyntaxException failure(JsonSyntaxException syntax) throws IOException {
        return window.drain() > maxLength ? tooLong() : syntax;
    }

    /** The exception for a text over the length limit, with its whole length. */
    private JsonSyntaxException tooLong() throws IOException {
        return new JsonSyntaxException(JsonReader.tooLong(window.drain(), maxLength), new Position(1, 1, 0), true);
    }

    /** The reader under the parser: counts what it reads, and keeps the text of the value being read. */
    private static final class Window extends Reader {

        /** Thrown to the parser when the text goes over the length limit. */
        static final class TooLong extends IOException {
            private static final long serialVersionUID = 1L;

            TooLong() {
                super("the text is over the length limit");
            }
        }

        /** The room kept for the text beyond which it is given back between values. */
        private static final int LARGE = 1 << 20;

        private final Reader in;
        private final long maxLength;
        private StringBuilder kept = new StringBuilder();
        /** The offset of {@code kept}'s first character in the text. */
        private long keptFrom;
        /** How many characters have been read. */
        private long count;
        /** Whether a value is being read: every block is then kept. */
        private boolean keeping;

        Window(Reader in, long maxLength) {
            this.in = in;
            this.maxLength = maxLength;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                if (!keeping) {
                    // Between values only this block is kept; drop the room a large value needed.
                    kept = kept.capacity() > LARGE ? new StringBuilder(n) : kept.delete(0, kept.length());
                    keptFrom = count;
                }
                kept.append(buffer, offset, n);
                count += n;
                if (count > maxLength) {
                    throw new TooLong();
                }
            }
            return n;
        }

        /** Keeps every character from {@code offset} on, until {@link #keepLastBlock}. */
        void keepFrom(long offset) {
            if (offset < keptFrom) {
                throw new IllegalStateException("the value's first character was not kept");
            }
            kept.delete(0, (int) (offset - keptFrom));
            keptFrom = offset;
            keeping = true;
        }

        void keepLastBlock() {
            keeping = false;
        }

        /** The text from {@code from} to {@code to}, both within what is kept. */
        String text(long from, long to) {
            return kept.substring((int) (from - keptFrom), (int) (to - keptFrom));
        }

        /** Reads the rest of the input, keeping nothing; the text's whole length. */
        long drain() throws IOException {
            kept = new StringBuilder();
            char[] buffer = new char[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                count += n;
            }
            return count;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
