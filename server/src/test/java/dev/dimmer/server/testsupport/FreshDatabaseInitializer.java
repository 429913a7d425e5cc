package dev.dimmer.server.testsupport;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points each new Spring test context at its own freshly created database. */
public class FreshDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase database = TestDatabase.create();
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "dimmerTestDatabase",
                        Map.of(
                                "spring.datasource.url", database.jdbcUrl(),
                                "spring.datasource.username", database.username(),
                                "spring.datasource.password", database.password())));
    }
}
