package dev.gavel.cli;

/**
 * What the command line says when Java runs out of heap: one line that names what it was doing
 * and how to give it more, instead of a stack trace. The launcher {@code scripts/gavel} passes
 * {@code GAVEL_JAVA_OPTS} to java, so that is the variable to set.
 *
 * <p>By the time the error reaches the handler, the work that filled the heap has been unwound and
 * is garbage, so there is room again to say so.
 */
final class OutOfMemory {

    /** The variable whose options scripts/gavel passes to java. */
    static final String JAVA_OPTS = "GAVEL_JAVA_OPTS";

    /** Running out of heap while doing something the message can name, such as loading a directory. */
    static final class While extends OutOfMemoryError {

        private static final long serialVersionUID = 1L;

        /** @param task what was being done, as in "loading the directory corpus/demo" */
        While(String task, OutOfMemoryError cause) {
            super(task);
            initCause(cause);
        }
    }

    private OutOfMemory() {}

    /** The one line to print for {@code error}, in a JVM whose heap may grow to {@code maxHeap} bytes. */
    static String message(OutOfMemoryError error, long maxHeap) {
        String task = error instanceof While ? " " + error.getMessage() : "";
        return "gavel: out of memory" + task + "; give Java more heap, for example " + JAVA_OPTS + "=-Xmx"
                + suggestedHeap(maxHeap);
    }

    /** A heap worth trying: twice the current one, rounded up to a power of two gibibytes. */
    static String suggestedHeap(long maxHeap) {
        long gib = 1;
        while (gib << 30 < 2 * maxHeap && gib < 1 << 20) {
            gib <<= 1;
        }
        return gib + "g";
    }
}
