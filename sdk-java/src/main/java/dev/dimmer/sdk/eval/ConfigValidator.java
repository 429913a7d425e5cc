package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything wrong with a flag configuration or a segment's conditions, all at once, each with a
 * JSON pointer into the submitted document, so the console can mark every field in one round
 * trip. It parses condition values with the same code the engine compiles them with, so a rule
 * the server accepts is a rule every SDK of this version can evaluate. Prerequisite cycles and
 * unknown prerequisite flags need every flag of the environment: the server checks those.
 */
public final class ConfigValidator {

    private ConfigValidator() {}

    /** {@link #validate(FlagConfig, Set, ConfigLimits)} with the default limits. */
    public static List<Violation> validate(FlagConfig config, Set<String> knownSegmentKeys) {
        return validate(config, knownSegmentKeys, ConfigLimits.DEFAULTS);
    }

    /**
     * Every problem in {@code config}; pointers are relative to the FlagConfig JSON root. Empty =
     * valid. A list longer than its limit is reported once and its items are not looked at, so
     * checking a huge configuration costs no more than checking one at the limits.
     */
    public static List<Violation> validate(FlagConfig config, Set<String> knownSegmentKeys, ConfigLimits limits) {
        List<Violation> violations = new ArrayList<>();
        if (config == null) {
            violations.add(new Violation("", "flag configuration is missing"));
            return violations;
        }
        atMost("/treatments", config.treatments().size(), limits.maxTreatments(), "treatments", violations);
        atMost("/rules", config.rules().size(), limits.maxRules(), "rules", violations);
        atMost("/prerequisites", config.prerequisites().size(), limits.maxPrerequisites(), "prerequisites", violations);
        if (violations.isEmpty()) {
            violations.addAll(checkLimits(config.rules(), limits));
        }
        if (!violations.isEmpty()) {
            return violations;
        }
        Set<String> treatments = treatmentNames(config, violations);
        treatment(config.offTreatment(), "/offTreatment", treatments, violations);
        if (config.trafficAllocation() < 0 || config.trafficAllocation() > Bucketing.BUCKETS) {
            violations.add(new Violation("/trafficAllocation", "must be between 0 and 10000 basis points"));
        }
        Set<String> ruleIds = new HashSet<>();
        for (int i = 0; i < config.rules().size(); i++) {
            Rule rule = config.rules().get(i);
            String pointer = "/rules/" + i;
            if (rule == null) {
                violations.add(new Violation(pointer, "rule is missing"));
                continue;
            }
            if (rule.id() == null || rule.id().isBlank()) {
                violations.add(new Violation(pointer + "/id", "rule id is missing"));
            } else if (!ruleIds.add(rule.id())) {
                violations.add(new Violation(pointer + "/id", "duplicate rule id '" + rule.id() + "'"));
            }
            violations.addAll(validateConditions(
                    rule.conditions(),
                    pointer + "/conditions",
                    knownSegmentKeys == null ? Set.of() : knownSegmentKeys,
                    limits));
            serve(rule.serve(), pointer + "/serve", treatments, limits, violations);
        }
        serve(config.defaultServe(), "/defaultServe", treatments, limits, violations);
        for (int i = 0; i < config.prerequisites().size(); i++) {
            var prerequisite = config.prerequisites().get(i);
            if (prerequisite == null
                    || prerequisite.flag() == null
                    || prerequisite.flag().isBlank()) {
                violations.add(new Violation("/prerequisites/" + i + "/flag", "prerequisite flag is missing"));
            } else if (prerequisite.treatments().isEmpty()) {
                violations.add(
                        new Violation("/prerequisites/" + i + "/treatments", "must name at least one treatment"));
            }
        }
        return violations;
    }

    /**
     * All patterns of one configuration (or one segment) together may compile to at most this many
     * times {@link ConfigLimits#maxPatternProgram()} instructions, so many small patterns cannot add
     * up to what one big pattern may not be.
     */
    public static final int PATTERN_BUDGET_FACTOR = 50;

    /**
     * Only the size limits of {@code rules}: list lengths, value lengths, and every pattern measured
     * (never compiled). Linear in the input and free of any compilation: the server runs it before it
     * opens a transaction, so an oversized or hostile rule is refused without holding a database
     * connection, and whatever is compiled afterwards is bounded.
     */
    public static List<Violation> checkLimits(List<Rule> rules, ConfigLimits limits) {
        List<Violation> violations = new ArrayList<>();
        if (rules == null || atMost("/rules", rules.size(), limits.maxRules(), "rules", violations)) {
            return violations;
        }
        long[] budget = {(long) limits.maxPatternProgram() * PATTERN_BUDGET_FACTOR};
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule != null) {
                conditionLimits(rule.conditions(), "/rules/" + i + "/conditions", limits, budget, violations);
            }
        }
        return violations;
    }

    /** {@link #checkLimits(List, ConfigLimits)} for a segment's condition list, pointers under {@code pointerPrefix}. */
    public static List<Violation> checkConditionLimits(
            List<Condition> conditions, String pointerPrefix, ConfigLimits limits) {
        List<Violation> violations = new ArrayList<>();
        long[] budget = {(long) limits.maxPatternProgram() * PATTERN_BUDGET_FACTOR};
        conditionLimits(conditions, pointerPrefix, limits, budget, violations);
        return violations;
    }

    private static void conditionLimits(
            List<Condition> conditions, String prefix, ConfigLimits limits, long[] budget, List<Violation> out) {
        if (conditions == null || atMost(prefix, conditions.size(), limits.maxConditions(), "conditions", out)) {
            return;
        }
        for (int i = 0; i < conditions.size(); i++) {
            Condition condition = conditions.get(i);
            Operator operator = condition == null ? null : Operator.of(condition.operator());
            String at = prefix + "/" + i + "/values";
            if (operator == null || atMost(at, condition.values().size(), limits.maxValues(), "values", out)) {
                continue;
            }
            for (int j = 0; j < condition.values().size(); j++) {
                String value = condition.values().get(j);
                String tooBig = value == null ? null : tooBig(operator, value, limits, budget);
                if (tooBig != null) {
                    out.add(new Violation(at + "/" + j, tooBig));
                }
            }
        }
    }

    /** {@link #validateConditions(List, String, Set, ConfigLimits)} with the default limits. */
    public static List<Violation> validateConditions(
            List<Condition> conditions, String pointerPrefix, Set<String> knownSegmentKeys) {
        return validateConditions(
                conditions,
                pointerPrefix,
                knownSegmentKeys == null ? Set.of() : knownSegmentKeys,
                ConfigLimits.DEFAULTS);
    }

    /**
     * The same checks on a condition list (segment definitions), pointers prefixed with {@code
     * pointerPrefix}; {@code knownSegmentKeys} null: segment references are not checked.
     */
    public static List<Violation> validateConditions(
            List<Condition> conditions, String pointerPrefix, Set<String> knownSegmentKeys, ConfigLimits limits) {
        List<Violation> violations = new ArrayList<>();
        if (conditions == null) {
            return violations;
        }
        violations.addAll(checkConditionLimits(conditions, pointerPrefix, limits));
        if (!violations.isEmpty()) {
            return violations;
        }
        for (int i = 0; i < conditions.size(); i++) {
            condition(conditions.get(i), pointerPrefix + "/" + i, knownSegmentKeys, limits, violations);
        }
        return violations;
    }

    /** Reports {@code count} over {@code max} at {@code pointer}; true when it did. */
    private static boolean atMost(String pointer, int count, int max, String what, List<Violation> out) {
        if (count <= max) {
            return false;
        }
        out.add(new Violation(pointer, "at most " + max + " " + what + " are allowed, not " + count));
        return true;
    }

    private static void condition(
            Condition condition, String pointer, Set<String> segments, ConfigLimits limits, List<Violation> out) {
        if (condition == null) {
            out.add(new Violation(pointer, "condition is missing"));
            return;
        }
        Operator operator = Operator.of(condition.operator());
        if (operator == null) {
            out.add(new Violation(pointer + "/operator", "unknown operator '" + condition.operator() + "'"));
        }
        boolean attributeOptional = operator == Operator.IN_SEGMENT; // defaults to the key
        if (!attributeOptional
                && (condition.attribute() == null || condition.attribute().isBlank())) {
            out.add(new Violation(pointer + "/attribute", "attribute name is missing"));
        }
        if (operator == null) {
            return;
        }
        if (operator.needsValues() && condition.values().isEmpty()) {
            out.add(new Violation(pointer + "/values", operator + " needs at least one value"));
        }
        for (int j = 0; j < condition.values().size(); j++) {
            String value = condition.values().get(j);
            String at = pointer + "/values/" + j;
            if (value == null) {
                out.add(new Violation(at, "value is missing"));
            } else if (operator == Operator.IN_SEGMENT) {
                if (segments != null && !segments.contains(value)) {
                    out.add(new Violation(at, "unknown segment '" + value + "'"));
                }
            } else if (operator.parseValue(value, condition.caseInsensitive()) == null) {
                out.add(new Violation(at, unparsable(operator, value)));
            }
        }
    }

    /**
     * Why {@code value} is over a limit, or null. A pattern is measured before anything compiles it
     * (see {@link RegexBudget}): compiling an oversized one is the harm being prevented.
     */
    private static String tooBig(Operator operator, String value, ConfigLimits limits, long[] budget) {
        if (operator.kind != Operator.ValueKind.REGEX) {
            return value.length() > limits.maxValueLength()
                    ? "is " + value.length() + " characters; at most " + limits.maxValueLength() + " are allowed"
                    : null;
        }
        if (value.length() > limits.maxPatternLength()) {
            return "the pattern is " + value.length() + " characters; at most " + limits.maxPatternLength()
                    + " are allowed";
        }
        long program = RegexBudget.programSize(value);
        if (program > limits.maxPatternProgram()) {
            return "the pattern is too complex: it would compile to about "
                    + (program >= RegexBudget.SATURATED ? "more than " + RegexBudget.SATURATED : program)
                    + " instructions, at most " + limits.maxPatternProgram()
                    + " are allowed (nested counted repetition such as (x{100}){100} multiplies its size)";
        }
        if (budget[0] < 0) {
            return null; // the budget's violation is reported once, at the pattern that spent it
        }
        budget[0] -= program;
        if (budget[0] < 0) {
            return "together with the patterns before it, more than "
                    + (long) limits.maxPatternProgram() * PATTERN_BUDGET_FACTOR
                    + " instructions of patterns in one configuration; use fewer or simpler patterns";
        }
        return null;
    }

    private static String unparsable(Operator operator, String value) {
        String expected = switch (operator.kind) {
            case REGEX -> "a regular expression RE2 accepts (no look-around or back-references)";
            case NUMBER -> "a number";
            case DATE -> "an ISO-8601 date-time with offset, or epoch milliseconds";
            case SEMVER -> "a semantic version such as 1.2.3 or 2.0.0-rc.1";
            case CIDR -> "an IPv4/IPv6 address or CIDR such as 10.0.0.0/8";
            default -> "a value";
        };
        return "'" + value + "' is not " + expected;
    }

    private static Set<String> treatmentNames(FlagConfig config, List<Violation> out) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.treatments().size(); i++) {
            Treatment treatment = config.treatments().get(i);
            if (treatment == null
                    || treatment.name() == null
                    || treatment.name().isBlank()) {
                out.add(new Violation("/treatments/" + i + "/name", "treatment name is missing"));
            } else if (!names.add(treatment.name())) {
                out.add(new Violation("/treatments/" + i + "/name", "duplicate treatment '" + treatment.name() + "'"));
            }
        }
        return names;
    }

    private static void treatment(String name, String pointer, Set<String> treatments, List<Violation> out) {
        if (name == null) {
            out.add(new Violation(pointer, "treatment is missing"));
        } else if (!treatments.contains(name)) {
            out.add(new Violation(pointer, "unknown treatment '" + name + "'"));
        }
    }

    private static void serve(
            Serve serve, String pointer, Set<String> treatments, ConfigLimits limits, List<Violation> out) {
        if (serve == null) {
            out.add(new Violation(pointer, "serve is missing"));
            return;
        }
        if ((serve.treatment() == null) == (serve.split() == null)) {
            out.add(new Violation(pointer, "must have exactly one of treatment and split"));
            return;
        }
        if (serve.treatment() != null) {
            treatment(serve.treatment(), pointer + "/treatment", treatments, out);
            return;
        }
        if (atMost(pointer + "/split", serve.split().size(), limits.maxTreatments(), "split arms", out)) {
            return;
        }
        long sum = 0;
        for (int i = 0; i < serve.split().size(); i++) {
            Split arm = serve.split().get(i);
            String at = pointer + "/split/" + i;
            if (arm == null) {
                out.add(new Violation(at, "split arm is missing"));
                continue;
            }
            treatment(arm.treatment(), at + "/treatment", treatments, out);
            if (arm.weight() < 0 || arm.weight() > Bucketing.BUCKETS) {
                out.add(new Violation(at + "/weight", "must be between 0 and 10000 basis points"));
            }
            sum += arm.weight();
        }
        if (sum != Bucketing.BUCKETS) {
            out.add(new Violation(pointer + "/split", "weights sum to " + sum + ", not 10000"));
        }
    }
}
