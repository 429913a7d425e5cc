package dev.dimmer.server.alerts;

import java.util.List;
import java.util.Set;

/**
 * What one cycle concluded about a flag in an environment.
 *
 * @param findings the conditions that hold now (one per kind and metric)
 * @param undecided kinds this cycle cannot judge (guardrails while SRM makes the report untrustworthy): their alerts
 *     are neither updated nor counted as clear
 */
record Judgement(List<Finding> findings, Set<AlertKind> undecided) {

    Judgement {
        findings = List.copyOf(findings);
        undecided = Set.copyOf(undecided);
    }
}
