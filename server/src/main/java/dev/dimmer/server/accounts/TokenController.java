package dev.dimmer.server.accounts;

import dev.dimmer.server.accounts.TokenService.CreateToken;
import dev.dimmer.server.accounts.TokenService.CreatedToken;
import dev.dimmer.server.accounts.TokenService.TokenView;
import dev.dimmer.server.security.Actor;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin tokens: the secret is in the create response only; DELETE revokes. */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

    private final TokenService tokens;

    TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedToken create(Actor actor, @RequestBody CreateToken request) {
        return tokens.create(actor, request);
    }

    @GetMapping
    List<TokenView> list(Actor actor) {
        return tokens.list(actor);
    }

    @DeleteMapping("/{id}")
    TokenView revoke(Actor actor, @PathVariable long id) {
        return tokens.revoke(actor, id);
    }
}
