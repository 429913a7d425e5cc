package dev.dimmer.server.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A test of the whole server over real HTTP against its own fresh PostgreSQL database. Test
 * classes with this annotation share one server (Spring's context cache), so each test creates
 * its own project with a unique key instead of relying on an empty database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"DIMMER_ADMIN_TOKEN=" + Api.ADMIN_TOKEN, "logging.level.dev.dimmer=INFO"})
@ContextConfiguration(initializers = FreshDatabaseInitializer.class)
public @interface IntegrationTest {}
