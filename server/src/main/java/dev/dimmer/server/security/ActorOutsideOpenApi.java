package dev.dimmer.server.security;

import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document is a contract: the console's types are generated from it (docs/openapi.json). The caller
 * ({@link Actor}) is resolved from the credential ({@link ActorArgumentResolver}), not sent by the client, so it is no
 * parameter of any operation.
 */
@Configuration(proxyBeanMethods = false)
class ActorOutsideOpenApi {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class);
    }
}
