package io.stagetune.localstack.cli.format;

import java.io.PrintWriter;

/** A one-line text progress bar, redrawn in place. */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final long total;

    public ProgressBar(PrintWriter out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 1);
    }

    public void show(long done, String suffix) {
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total
                + (suffix.isEmpty() ? "" : "  " + suffix) + "   ");
        out.flush();
    }

    public void finish() {
        out.println();
        out.flush();
    }
}
