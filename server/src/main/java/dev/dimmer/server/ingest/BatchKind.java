package dev.dimmer.server.ingest;

/** The two kinds of batches; the wire name is also the JSON array's name and the table's. */
enum BatchKind {
    IMPRESSIONS("impressions"),
    EVENTS("events");

    final String wireName;

    BatchKind(String wireName) {
        this.wireName = wireName;
    }
}
