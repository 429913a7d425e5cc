package dev.dimmer.server.stats;

import java.util.List;

/**
 * One metric's analysis: the control and each treatment compared with it.
 *
 * @param metric the metric definition analysed
 * @param control the control's treatment key
 * @param controlUsers users in the control arm
 * @param controlMean the control's plain metric value
 * @param treatments one result per treatment, in input order
 */
public record MetricResult(
        MetricDefinition metric,
        String control,
        long controlUsers,
        double controlMean,
        List<TreatmentResult> treatments) {

    public MetricResult {
        treatments = List.copyOf(treatments);
    }
}
