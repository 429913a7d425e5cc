package dev.dimmer.sdk.eval;

import static dev.dimmer.sdk.eval.Fixtures.cond;
import static dev.dimmer.sdk.eval.Fixtures.flag;
import static dev.dimmer.sdk.eval.Fixtures.ignoringCase;
import static dev.dimmer.sdk.eval.Fixtures.not;
import static dev.dimmer.sdk.eval.Fixtures.off;
import static dev.dimmer.sdk.eval.Fixtures.on;
import static dev.dimmer.sdk.eval.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import dev.dimmer.sdk.snapshot.Snapshot;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionOperatorTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC);

    private static boolean holds(Condition condition, Map<String, ?> attributes) {
        return holds(condition, "user-1", attributes, List.of());
    }

    private static boolean holds(
            Condition condition, String key, Map<String, ?> attributes, List<SegmentDefinition> segments) {
        var snapshot = new Snapshot("e", 1, List.of(flag("f", off(), rule("r", on(), condition))), segments);
        return EvaluationEngine.compile(snapshot, CLOCK)
                .evaluate("f", key, attributes, "d")
                .treatment()
                .equals("on");
    }

    @Test
    void in_matchesAnyValue() {
        assertThat(holds(cond("country", "IN", "NO", "SE"), Map.of("country", "SE")))
                .isTrue();
        assertThat(holds(cond("country", "IN", "NO", "SE"), Map.of("country", "se")))
                .isFalse();
        assertThat(holds(ignoringCase(cond("country", "IN", "NO", "SE")), Map.of("country", "se")))
                .isTrue();
    }

    @Test
    void in_missingAttribute_isFalse_negatedIsTrue() {
        assertThat(holds(cond("country", "IN", "US"), Map.of())).isFalse();
        assertThat(holds(not(cond("country", "IN", "US")), Map.of())).isTrue();
        assertThat(holds(not(cond("country", "IN", "US")), Map.of("country", "US")))
                .isFalse();
    }

    @Test
    void in_emptyValues_neverHolds_negatedAlwaysHolds() {
        assertThat(holds(cond("country", "IN"), Map.of("country", "US"))).isFalse();
        assertThat(holds(not(cond("country", "IN")), Map.of("country", "US"))).isTrue();
    }

    @Test
    void in_nonStringAttributes_compareAsText() {
        assertThat(holds(cond("age", "IN", "42"), Map.of("age", 42))).isTrue();
        assertThat(holds(cond("beta", "IN", "true"), Map.of("beta", true))).isTrue();
    }

    @Test
    void in_collectionAttribute_matchesIfAnyElementMatches() {
        List<Object> groups = new ArrayList<>();
        groups.add("staff");
        groups.add(null);
        groups.add("beta");
        assertThat(holds(cond("groups", "IN", "beta"), Map.of("groups", groups)))
                .isTrue();
        assertThat(holds(cond("groups", "IN", "beta"), Map.of("groups", Set.of("a", "b"))))
                .isFalse();
        assertThat(holds(cond("groups", "IN", "beta"), Map.of("groups", List.of())))
                .isFalse();
    }

    @Test
    void startsWith_endsWith_contains() {
        assertThat(holds(cond("email", "STARTS_WITH", "adm"), Map.of("email", "admin@x.io")))
                .isTrue();
        assertThat(holds(cond("email", "STARTS_WITH", "ADM"), Map.of("email", "admin@x.io")))
                .isFalse();
        assertThat(holds(ignoringCase(cond("email", "STARTS_WITH", "ADM")), Map.of("email", "admin@x.io")))
                .isTrue();
        assertThat(holds(cond("email", "ENDS_WITH", "@x.io"), Map.of("email", "admin@x.io")))
                .isTrue();
        assertThat(holds(ignoringCase(cond("email", "ENDS_WITH", "@X.IO")), Map.of("email", "admin@x.io")))
                .isTrue();
        assertThat(holds(cond("email", "ENDS_WITH", "@x.io"), Map.of("email", "io")))
                .isFalse();
        assertThat(holds(cond("email", "CONTAINS", "min@"), Map.of("email", "admin@x.io")))
                .isTrue();
        assertThat(holds(ignoringCase(cond("email", "CONTAINS", "MIN@")), Map.of("email", "admin@x.io")))
                .isTrue();
        assertThat(holds(cond("email", "CONTAINS", "zzz"), Map.of("email", "admin@x.io")))
                .isFalse();
    }

    @Test
    void matches_findsAnywhereWithRe2() {
        assertThat(holds(cond("ua", "MATCHES", "Chrome/\\d+"), Map.of("ua", "Mozilla Chrome/120 Safari")))
                .isTrue();
        assertThat(holds(cond("ua", "MATCHES", "^Chrome"), Map.of("ua", "Mozilla Chrome/120")))
                .isFalse();
        assertThat(holds(ignoringCase(cond("ua", "MATCHES", "chrome")), Map.of("ua", "CHROME")))
                .isTrue();
    }

    @Test
    void matches_invalidRegex_neverHoldsEvenNegated() {
        assertThat(holds(cond("ua", "MATCHES", "(a"), Map.of("ua", "a"))).isFalse();
        assertThat(holds(not(cond("ua", "MATCHES", "(a")), Map.of("ua", "a"))).isFalse();
    }

    @Test
    void numbers_compareNumerically() {
        assertThat(holds(cond("n", "EQ", "12"), Map.of("n", "12.0"))).isTrue();
        assertThat(holds(cond("n", "EQ", "12"), Map.of("n", 12L))).isTrue();
        assertThat(holds(cond("n", "EQ", "0.1"), Map.of("n", new BigDecimal("0.1"))))
                .isTrue();
        assertThat(holds(cond("n", "LT", "12"), Map.of("n", 11.5))).isTrue();
        assertThat(holds(cond("n", "LT", "12"), Map.of("n", 12))).isFalse();
        assertThat(holds(cond("n", "LTE", "12"), Map.of("n", 12))).isTrue();
        assertThat(holds(cond("n", "GT", "12"), Map.of("n", "13"))).isTrue();
        assertThat(holds(cond("n", "GT", "12"), Map.of("n", "12"))).isFalse();
        assertThat(holds(cond("n", "GTE", "12"), Map.of("n", "12"))).isTrue();
        assertThat(holds(cond("n", "GTE", "1e3"), Map.of("n", 1000))).isTrue();
    }

    @Test
    void numbers_unparsableAttribute_isFalse_negatedIsTrue() {
        assertThat(holds(cond("n", "GT", "1"), Map.of("n", "lots"))).isFalse();
        assertThat(holds(cond("n", "GT", "1"), Map.of("n", true))).isFalse();
        assertThat(holds(cond("n", "GT", "1"), Map.of("n", "12d"))).isFalse();
        assertThat(holds(not(cond("n", "GT", "1")), Map.of("n", "lots"))).isTrue();
    }

    @Test
    void beforeAfter_compareInstants() {
        assertThat(holds(cond("signup", "BEFORE", "2024-01-01T00:00:00Z"), Map.of("signup", "2023-12-31T23:59:59Z")))
                .isTrue();
        assertThat(holds(cond("signup", "AFTER", "2024-01-01T00:00:00Z"), Map.of("signup", "2024-01-01T00:00:00Z")))
                .isFalse();
        assertThat(holds(
                        cond("signup", "AFTER", "2024-01-01T00:00:00+02:00"),
                        Map.of("signup", Instant.parse("2023-12-31T23:00:00Z"))))
                .isTrue();
        assertThat(holds(cond("signup", "AFTER", "1704067200000"), Map.of("signup", 1704067200001L)))
                .isTrue();
        assertThat(holds(cond("signup", "BEFORE", "2024-01-01T00:00:00Z"), Map.of("signup", new Date(0))))
                .isTrue();
        assertThat(holds(
                        cond("signup", "BEFORE", "2024-01-01T00:00:00Z"),
                        Map.of("signup", OffsetDateTime.parse("2020-01-01T00:00:00+05:00"))))
                .isTrue();
        assertThat(holds(cond("signup", "BEFORE", "2024-01-01T00:00:00Z"), Map.of("signup", LocalDate.of(2020, 1, 1))))
                .isFalse();
        assertThat(holds(cond("signup", "BEFORE", "2024-01-01T00:00:00Z"), Map.of("signup", "yesterday")))
                .isFalse();
    }

    @Test
    void currentTime_defaultsToClock() {
        assertThat(holds(cond("currentTime", "AFTER", "2026-01-01T00:00:00Z"), Map.of()))
                .isTrue();
        assertThat(holds(cond("currentTime", "BEFORE", "2026-01-01T00:00:00Z"), Map.of()))
                .isFalse();
        assertThat(holds(
                        cond("currentTime", "BEFORE", "2026-01-01T00:00:00Z"),
                        Map.of("currentTime", "2025-06-01T00:00:00Z")))
                .isTrue();
    }

    @Test
    void semver_followsPrecedence() {
        assertThat(holds(cond("v", "SEMVER_EQ", "1.2.3"), Map.of("v", "1.2.3"))).isTrue();
        assertThat(holds(cond("v", "SEMVER_EQ", "1.2.3"), Map.of("v", "1.2.3+build.5")))
                .isTrue();
        assertThat(holds(cond("v", "SEMVER_LT", "2.0.0"), Map.of("v", "2.0.0-rc.1")))
                .isTrue();
        assertThat(holds(cond("v", "SEMVER_LT", "1.0.0-alpha.beta"), Map.of("v", "1.0.0-alpha.1")))
                .isTrue();
        assertThat(holds(cond("v", "SEMVER_GT", "1.0.0-alpha.2"), Map.of("v", "1.0.0-alpha.10")))
                .isTrue();
        assertThat(holds(cond("v", "SEMVER_GT", "1.0.0-alpha"), Map.of("v", "1.0.0-alpha.1")))
                .isTrue();
        assertThat(holds(cond("v", "SEMVER_GTE", "1.2.3"), Map.of("v", "1.10.0")))
                .isTrue();
        assertThat(holds(cond("v", "SEMVER_LTE", "1.2.3"), Map.of("v", "1.2.3")))
                .isTrue();
        assertThat(holds(cond("v", "SEMVER_LT", "1.2.3"), Map.of("v", "v1.0.0")))
                .isFalse();
        assertThat(holds(cond("v", "SEMVER_LT", "1.2.3"), Map.of("v", "1.0"))).isFalse();
        assertThat(holds(cond("v", "SEMVER_LT", "1.2.3"), Map.of("v", "01.0.0")))
                .isFalse();
    }

    @Test
    void semver_fullPrecedenceChainFromTheSpec() {
        List<String> ordered = List.of(
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            assertThat(Semver.parse(ordered.get(i)).compareTo(Semver.parse(ordered.get(i + 1))))
                    .as(ordered.get(i) + " < " + ordered.get(i + 1))
                    .isNegative();
        }
    }

    @Test
    void inCidr_ipv4AndIpv6() throws Exception {
        Condition office = cond("ip", "IN_CIDR", "10.0.0.0/8", "192.168.1.7", "2001:db8::/32");
        assertThat(holds(office, Map.of("ip", "10.200.3.4"))).isTrue();
        assertThat(holds(office, Map.of("ip", "11.0.0.1"))).isFalse();
        assertThat(holds(office, Map.of("ip", "192.168.1.7"))).isTrue();
        assertThat(holds(office, Map.of("ip", "192.168.1.8"))).isFalse();
        assertThat(holds(office, Map.of("ip", "2001:db8:ffff::1"))).isTrue();
        assertThat(holds(office, Map.of("ip", "2001:db9::1"))).isFalse();
        assertThat(holds(office, Map.of("ip", "::ffff:10.1.2.3"))).isTrue();
        assertThat(holds(office, Map.of("ip", InetAddress.getByAddress(new byte[] {10, 9, 9, 9}))))
                .isTrue();
        assertThat(holds(office, Map.of("ip", "localhost"))).isFalse();
        assertThat(holds(office, Map.of("ip", "10.0.0.256"))).isFalse();
        assertThat(holds(cond("ip", "IN_CIDR", "0.0.0.0/0"), Map.of("ip", "8.8.8.8")))
                .isTrue();
        assertThat(holds(cond("ip", "IN_CIDR", "::/0"), Map.of("ip", "::1"))).isTrue();
        assertThat(holds(cond("ip", "IN_CIDR", "fe80::1:0:0:0/80"), Map.of("ip", "fe80::1:0:ffff:1")))
                .isTrue();
        assertThat(holds(cond("ip", "IN_CIDR", "fe80::1:0:0:0/80"), Map.of("ip", "fe80::2:0:0:1")))
                .isFalse();
    }

    @Test
    void inSegment_byKeyListOrConditions() {
        List<SegmentDefinition> segments = List.of(
                new SegmentDefinition("staff", List.of("alice", "bob"), List.of()),
                new SegmentDefinition("nordics", List.of(), List.of(cond("country", "IN", "NO", "SE"))),
                new SegmentDefinition("loop", List.of(), List.of(cond("key", "IN_SEGMENT", "loop"))));
        Condition staff = cond("key", "IN_SEGMENT", "staff");
        assertThat(holds(staff, "alice", Map.of(), segments)).isTrue();
        assertThat(holds(staff, "carol", Map.of(), segments)).isFalse();
        assertThat(holds(not(staff), "carol", Map.of(), segments)).isTrue();
        assertThat(holds(new Condition(null, "IN_SEGMENT", List.of("staff"), false, false), "bob", Map.of(), segments))
                .isTrue();
        assertThat(holds(cond("email", "IN_SEGMENT", "staff"), "x", Map.of("email", "alice"), segments))
                .isTrue();
        Condition either = cond("key", "IN_SEGMENT", "staff", "nordics");
        assertThat(holds(either, "carol", Map.of("country", "NO"), segments)).isTrue();
        assertThat(holds(either, "carol", Map.of("country", "DK"), segments)).isFalse();
        assertThat(holds(cond("key", "IN_SEGMENT", "loop"), "carol", Map.of(), segments))
                .isFalse();
    }

    @Test
    void inSegment_conditionMetFirstInsideItsOwnSegment_stillMatchesElsewhere() {
        // "a" refers to itself: compiling "NOT key IN_SEGMENT a" meets "key IN_SEGMENT a" while
        // "a" is half-built (so empty there); a flag using that condition must still see all of "a".
        Condition inA = cond("key", "IN_SEGMENT", "a");
        var snapshot = new Snapshot(
                "e",
                1,
                List.of(flag("notA", off(), rule("r", on(), not(inA))), flag("viaA", off(), rule("r", on(), inA))),
                List.of(new SegmentDefinition("a", List.of("alice"), List.of(inA))));
        EvaluationEngine engine = EvaluationEngine.compile(snapshot, CLOCK);
        assertThat(engine.evaluate("viaA", "alice", Map.of(), "d").treatment()).isEqualTo("on");
        assertThat(engine.evaluate("viaA", "carol", Map.of(), "d").treatment()).isEqualTo("off");
        assertThat(engine.evaluate("notA", "alice", Map.of(), "d").treatment()).isEqualTo("off");
        assertThat(engine.evaluate("notA", "carol", Map.of(), "d").treatment()).isEqualTo("on");
    }

    @Test
    void isTrue_acceptsBooleanOrText() {
        assertThat(holds(cond("beta", "IS_TRUE"), Map.of("beta", true))).isTrue();
        assertThat(holds(cond("beta", "IS_TRUE"), Map.of("beta", "TRUE"))).isTrue();
        assertThat(holds(cond("beta", "IS_TRUE"), Map.of("beta", false))).isFalse();
        assertThat(holds(cond("beta", "IS_TRUE"), Map.of("beta", "yes"))).isFalse();
        assertThat(holds(cond("beta", "IS_TRUE"), Map.of())).isFalse();
        assertThat(holds(not(cond("beta", "IS_TRUE")), Map.of())).isTrue();
    }

    @Test
    void unknownOperator_neverHoldsEvenNegated() {
        assertThat(holds(cond("x", "LOOKS_LIKE", "a"), Map.of("x", "a"))).isFalse();
        assertThat(holds(not(cond("x", "LOOKS_LIKE", "a")), Map.of("x", "a"))).isFalse();
        assertThat(holds(not(cond("x", null, "a")), Map.of("x", "a"))).isFalse();
    }

    @Test
    void valuesThatDoNotParse_areDropped_othersStillMatch() {
        assertThat(holds(cond("ip", "IN_CIDR", "not-an-ip", "10.0.0.0/8"), Map.of("ip", "10.1.1.1")))
                .isTrue();
        assertThat(holds(cond("n", "GT", "x", "5"), Map.of("n", 6))).isTrue();
        assertThat(holds(not(cond("n", "GT", "x")), Map.of("n", 6))).isFalse();
    }
}
