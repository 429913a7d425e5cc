package dev.dimmer.server.segments;

/** Published before a segment is archived so configurations that use it can refuse (409). */
public record SegmentArchiving(long environmentId, String segmentKey) {}
