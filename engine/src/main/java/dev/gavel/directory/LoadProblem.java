package dev.gavel.directory;

/** One thing wrong with a directory: the file, where in it, the JSON path, and what. */
public record LoadProblem(String file, int line, int column, String path, String message) {

    /** {@code FILE:LINE:COL: PATH: message}. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
