package dev.dimmer.e2e.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * A scrape of {@code /actuator/prometheus} (text format 0.0.4): one line per series, {@code
 * name{labels} value}. Only what the soak reads: sums of a metric's series whose labels contain
 * given fragments.
 */
record PrometheusText(List<Series> series) {

    record Series(String name, String labels, double value) {}

    static final PrometheusText EMPTY = new PrometheusText(List.of());

    static PrometheusText parse(String text) {
        List<Series> series = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name;
            String labels;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                labels = line.substring(brace + 1, line.lastIndexOf('}'));
            } else {
                name = line.substring(0, space);
                labels = "";
            }
            try {
                series.add(new Series(name.trim(), labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException ignored) {
                // a timestamp or exemplar we do not need
            }
        }
        return new PrometheusText(List.copyOf(series));
    }

    /**
     * The sum over {@code name}'s series whose labels contain every fragment (such as {@code
     * area="heap"}); NaN when there is none.
     */
    double sum(String name, String... labelFragments) {
        double total = 0;
        boolean found = false;
        for (Series s : series) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean matches = true;
            for (String fragment : labelFragments) {
                matches &= s.labels().contains(fragment);
            }
            if (matches) {
                total += s.value();
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }
}
