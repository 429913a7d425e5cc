package dev.dimmer.server.system;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Limits.class)
class SystemConfiguration {

    /** Injected wherever time matters, so tests can control it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
