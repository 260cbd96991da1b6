package dev.gavel.match;

/**
 * Where the six parts of an ARN lie in its text, {@code arn:partition:service:region:account:resource},
 * found without copying: the resource part keeps its own colons. A reusable scratch object, one
 * per thread of evaluation.
 */
public final class ArnParts {

    /** The number of parts of an ARN. */
    public static final int PARTS = 6;

    private final int[] starts = new int[PARTS];
    private final int[] ends = new int[PARTS];
    private String text;
    private boolean valid;

    /**
     * Reads the parts of {@code arn}; returns whether it has six (at least five colons). Text
     * that is no ARN (such as {@code *}) has none.
     */
    public boolean parse(String arn) {
        text = arn;
        int length = arn.length();
        int start = 0;
        int part = 0;
        for (int i = 0; i < length && part < PARTS - 1; i++) {
            if (arn.charAt(i) == ':') {
                starts[part] = start;
                ends[part++] = i;
                start = i + 1;
            }
        }
        valid = part == PARTS - 1;
        starts[PARTS - 1] = start;
        ends[PARTS - 1] = length;
        return valid;
    }

    /** The text last parsed. */
    public String text() {
        return text;
    }

    /** Whether the text last parsed has six parts. */
    public boolean valid() {
        return valid;
    }

    public int start(int part) {
        return starts[part];
    }

    public int end(int part) {
        return ends[part];
    }

    /** Whether part {@code part} equals {@code value} exactly. */
    public boolean partEquals(int part, String value) {
        int length = ends[part] - starts[part];
        return length == value.length() && text.regionMatches(starts[part], value, 0, length);
    }
}
