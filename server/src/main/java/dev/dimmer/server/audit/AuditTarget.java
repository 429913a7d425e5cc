package dev.dimmer.server.audit;

/** What an audit entry is about, with the project, environment and flag it can be filtered by. */
public record AuditTarget(String entityType, String entityKey, String project, String environment, String flag) {

    public static AuditTarget project(String project) {
        return new AuditTarget("project", project, project, null, null);
    }

    public static AuditTarget environment(String project, String environment) {
        return new AuditTarget("environment", environment, project, environment, null);
    }

    public static AuditTarget flag(String project, String flag) {
        return new AuditTarget("flag", flag, project, null, flag);
    }

    public static AuditTarget flagConfiguration(String project, String environment, String flag) {
        return new AuditTarget("flag-configuration", flag, project, environment, flag);
    }

    public static AuditTarget segment(String project, String environment, String segment) {
        return new AuditTarget("segment", segment, project, environment, null);
    }
}
