package dev.dimmer.sdk.eval;

/**
 * The labels an evaluation carries in its impression: why the key got its treatment. The server reads them back
 * (which users a split randomised, which were placed by a rule, a prerequisite or a kill), so they are defined here
 * once, next to the engine that produces them, and never retyped.
 */
public final class Labels {

    /** Served by the default rule (its fixed treatment or its split). */
    public static final String DEFAULT_RULE = "default rule";

    /** The flag is enabled but the key falls outside the traffic allocation: the off treatment. */
    public static final String NOT_IN_SPLIT = "not in split";

    /** The flag is disabled in the environment: the off treatment. */
    public static final String FLAG_OFF = "flag off";

    /** The flag is killed in the environment: the off treatment. */
    public static final String KILLED = "killed";

    /** Prefix of the label of a key whose prerequisite flag did not give one of the required treatments. */
    public static final String PREREQUISITE_NOT_MET = "prerequisite not met: ";

    /** Prefix of the label of a key served by a targeting rule (its fixed treatment or its split). */
    public static final String RULE = "rule:";

    private Labels() {}

    /** The label of a key served by the rule with this id. */
    public static String rule(String ruleId) {
        return RULE + ruleId;
    }

    /** The label of a key whose prerequisite {@code flag} was not met. */
    public static String prerequisiteNotMet(String flag) {
        return PREREQUISITE_NOT_MET + flag;
    }
}
