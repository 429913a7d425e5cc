package dev.dimmer.e2e;

import dev.dimmer.server.DimmerApplication;
import dev.dimmer.server.testsupport.Api;
import dev.dimmer.server.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One server replica running in this JVM on a random loopback port, started with
 * {@link SpringApplicationBuilder} so a test can stop it ({@link #close()}) while SDKs are
 * connected. Several replicas may share one database: that is how production scales out.
 */
final class DimmerServer implements AutoCloseable {

    private final TestDatabase database;
    private final ConfigurableApplicationContext context;
    private final int port;

    private DimmerServer(TestDatabase database, ConfigurableApplicationContext context) {
        this.database = database;
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Starts a replica on {@code database}; {@code extraArgs} are {@code --name=value} properties. */
    static DimmerServer start(TestDatabase database, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                // Command-line arguments outrank application.properties, unlike builder defaults.
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--DIMMER_ADMIN_TOKEN=" + Api.ADMIN_TOKEN,
                "--dimmer.sdk.stream.heartbeat-seconds=1",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--logging.level.dev.dimmer=INFO"));
        // An extra argument replaces a default of the same name (Spring would join both values with a comma).
        for (String extra : extraArgs) {
            String name = extra.substring(0, extra.indexOf('=') + 1);
            args.removeIf(a -> a.startsWith(name));
        }
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(DimmerApplication.class).run(args.toArray(String[]::new));
        return new DimmerServer(database, context);
    }

    TestDatabase database() {
        return database;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Api admin() {
        return Api.admin(port);
    }

    Api sdk(String sdkKey) {
        return new Api(port, sdkKey);
    }

    /** The replica's own database access, for checking what was stored. */
    JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        context.close();
    }
}
