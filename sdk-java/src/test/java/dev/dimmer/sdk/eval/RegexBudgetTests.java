package dev.dimmer.sdk.eval;

import static dev.dimmer.sdk.eval.Fixtures.cond;
import static dev.dimmer.sdk.eval.Fixtures.flag;
import static dev.dimmer.sdk.eval.Fixtures.off;
import static dev.dimmer.sdk.eval.Fixtures.on;
import static dev.dimmer.sdk.eval.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegexBudgetTests {

    /** The estimate is an upper bound of what re2j really compiles (read from its program, test only). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "^Chrome/[0-9]+",
                "a{1000}",
                "(a{1000}){10}",
                "(a{10}){10,20}",
                "(?:ab|cd|ef)+x*?y?",
                "(?i)hello (?P<name>w(or)ld)",
                "[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}",
                "\\pL{5}\\p{Greek}\\x{41}\\d\\Q.*+\\E{3}",
                "[]a[:alpha:]\\]]{2,5}",
                "a{2,}b{0}c{0,3}",
                "((a|b|c){3}){4}",
                "^$|\\b\\B.",
                "a{,5}x{1x}",
                "(?s:.)(?i:A)(?U)a*"
            })
    void programSize_isAtLeastWhatRe2jCompiles(String regex) throws Exception {
        assertThat(RegexBudget.programSize(regex)).as(regex).isGreaterThanOrEqualTo(re2jProgramSize(regex));
    }

    @Test
    void programSize_ofNestedRepetition_isMeasuredWithoutBuildingIt() {
        assertThat(RegexBudget.programSize("((a{1000}){1000}){1000}")).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(RegexBudget.programSize("(a{1000}){100}")).isEqualTo(100_202);
        assertThat(RegexBudget.programSize("(".repeat(5000) + "a" + ")".repeat(5000)))
                .isEqualTo(RegexBudget.SATURATED);
    }

    /** Before the budget, compiling this rule ran the SDK out of memory inside re2j. */
    @Test
    void engine_givenAnExplodingPattern_compilesTheRuleToNeverMatch() {
        var engine =
                Fixtures.engine(flag("f", off(), rule("bomb", on(), cond("ua", "MATCHES", "((a{1000}){1000}){1000}"))));
        var result = engine.evaluate("f", "k", Map.of("ua", "aaaa"), "default");
        assertThat(result.treatment()).isEqualTo("off");
    }

    private static int re2jProgramSize(String regex) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        Field re2 = Pattern.class.getDeclaredField("re2");
        re2.setAccessible(true);
        Object compiled = re2.get(pattern);
        Field prog = compiled.getClass().getDeclaredField("prog");
        prog.setAccessible(true);
        Object program = prog.get(compiled);
        Method numInst = program.getClass().getDeclaredMethod("numInst");
        numInst.setAccessible(true);
        return (int) numInst.invoke(program);
    }
}
