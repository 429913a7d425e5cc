package dev.dimmer.server.flags;

import java.util.Arrays;
import java.util.List;

/** Why a flag exists; it shapes defaults and how long it is expected to live. */
enum FlagKind {
    RELEASE("release"),
    EXPERIMENT("experiment"),
    OPS("ops"),
    PERMISSION("permission");

    static final List<String> WIRE_NAMES =
            Arrays.stream(values()).map(kind -> kind.wireName).toList();

    final String wireName;

    FlagKind(String wireName) {
        this.wireName = wireName;
    }
}
