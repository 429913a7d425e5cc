package dev.dimmer.e2e.soak;

import java.util.List;
import java.util.Locale;

/**
 * Small multiples as one SVG file: a grid of panels, each with its own y axis starting at zero
 * (so growth is not exaggerated), a shared x axis in minutes, polylines and an optional dashed
 * reference line. Plain SVG text, no library: the soak's plot is committed and diffed as text.
 */
final class SvgChart {

    /** A series; NaN values leave a gap. {@code dots} draws points instead of a line. */
    record Line(String label, String color, double[] x, double[] y, boolean dots) {}

    record Panel(String title, List<Line> lines, double reference, String referenceLabel) {

        Panel(String title, List<Line> lines) {
            this(title, lines, Double.NaN, null);
        }
    }

    private static final int COLUMNS = 2;
    private static final int PANEL_WIDTH = 480;
    private static final int PANEL_HEIGHT = 230;
    private static final int LEFT = 58;
    private static final int RIGHT = 12;
    private static final int TOP = 44;
    private static final int BOTTOM = 34;
    private static final int HEADER = 56;

    private SvgChart() {}

    static String render(String title, String subtitle, List<Panel> panels) {
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        int width = COLUMNS * PANEL_WIDTH + 20;
        int height = HEADER + rows * PANEL_HEIGHT + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"11\">\n",
                width,
                height,
                width,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        svg.append("<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">")
                .append(escape(title))
                .append("</text>\n");
        svg.append("<text x=\"10\" y=\"42\" fill=\"#444\">")
                .append(escape(subtitle))
                .append("</text>\n");
        for (int i = 0; i < panels.size(); i++) {
            int x0 = 10 + (i % COLUMNS) * PANEL_WIDTH;
            int y0 = HEADER + (i / COLUMNS) * PANEL_HEIGHT;
            panel(svg, panels.get(i), x0, y0);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Panel panel, int x0, int y0) {
        double xMax = 0;
        double yMax = panel.reference();
        yMax = Double.isNaN(yMax) ? 0 : yMax;
        for (Line line : panel.lines()) {
            for (int i = 0; i < line.x().length; i++) {
                if (!Double.isNaN(line.y()[i])) {
                    xMax = Math.max(xMax, line.x()[i]);
                    yMax = Math.max(yMax, line.y()[i]);
                }
            }
        }
        double xTop = niceCeiling(Math.max(xMax, 1));
        double yStep = niceStep(Math.max(yMax, 1) / 4);
        double yTop = yStep * Math.ceil(Math.max(yMax, 1) / yStep);
        int left = x0 + LEFT;
        int right = x0 + PANEL_WIDTH - RIGHT;
        int top = y0 + TOP;
        int bottom = y0 + PANEL_HEIGHT - BOTTOM;
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s</text>\n",
                x0 + 4,
                y0 + 16,
                escape(panel.title())));
        // Legend under the title.
        int lx = x0 + 4;
        for (Line line : panel.lines()) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>\n",
                    lx,
                    y0 + 27,
                    line.color(),
                    lx + 13,
                    y0 + 31,
                    escape(line.label())));
            lx += 20 + line.label().length() * 6;
        }
        // Axes and grid.
        for (double v = 0; v <= yTop + yStep / 2; v += yStep) {
            double y = bottom - (bottom - top) * v / yTop;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>\n",
                    left,
                    y,
                    right,
                    y,
                    left - 4,
                    y + 4,
                    label(v)));
        }
        double xStep = niceStep(xTop / 5);
        for (double v = 0; v <= xTop + xStep / 2; v += xStep) {
            double x = left + (right - left) * v / xTop;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e4e4e4\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>\n",
                    x,
                    top,
                    x,
                    bottom,
                    x,
                    bottom + 14,
                    label(v)));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">minutes</text>\n",
                right,
                bottom + 28));
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                left,
                top,
                right - left,
                bottom - top));
        if (!Double.isNaN(panel.reference())) {
            double y = bottom - (bottom - top) * panel.reference() / yTop;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\" stroke-dasharray=\"5,4\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#c00\">%s</text>\n",
                    left,
                    y,
                    right,
                    y,
                    right - 4,
                    y - 4,
                    escape(panel.referenceLabel())));
        }
        for (Line line : panel.lines()) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < line.x().length; i++) {
                double v = line.y()[i];
                if (Double.isNaN(v)) {
                    flush(svg, points, line.color());
                    continue;
                }
                double x = left + (right - left) * line.x()[i] / xTop;
                double y = bottom - (bottom - top) * v / yTop;
                if (line.dots()) {
                    svg.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n",
                            x,
                            y,
                            line.color()));
                } else {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
            }
            flush(svg, points, line.color());
        }
    }

    private static void flush(StringBuilder svg, StringBuilder points, String color) {
        if (points.length() > 0) {
            svg.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"")
                    .append(color)
                    .append("\" points=\"")
                    .append(points.toString().trim())
                    .append("\"/>\n");
            points.setLength(0);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= rough) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /**
     * The round axis end at or above {@code value}, or the one just under it when {@code value} passes it by less than
     * 1 % of a step: a 10-minute run's last sample lands at 10.01 minutes, and a strict ceiling would stretch the axis
     * to 15 and leave a third of the panel empty (the last point then sits a fraction of a pixel past the frame).
     */
    static double niceCeiling(double value) {
        double step = niceStep(value / 5);
        return step * Math.ceil(value / step - 0.01);
    }

    private static String label(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
