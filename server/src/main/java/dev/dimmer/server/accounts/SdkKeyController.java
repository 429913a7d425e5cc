package dev.dimmer.server.accounts;

import dev.dimmer.server.accounts.SdkKeyService.CreateSdkKey;
import dev.dimmer.server.accounts.SdkKeyService.CreatedSdkKey;
import dev.dimmer.server.accounts.SdkKeyService.SdkKeyView;
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

/** Server-side SDK keys of one environment: the key is in the create response only; DELETE revokes. */
@RestController
@RequestMapping("/api/v1/projects/{project}/environments/{environment}/sdk-keys")
class SdkKeyController {

    private final SdkKeyService sdkKeys;

    SdkKeyController(SdkKeyService sdkKeys) {
        this.sdkKeys = sdkKeys;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedSdkKey create(
            Actor actor,
            @PathVariable String project,
            @PathVariable String environment,
            @RequestBody CreateSdkKey request) {
        return sdkKeys.create(actor, project, environment, request);
    }

    @GetMapping
    List<SdkKeyView> list(Actor actor, @PathVariable String project, @PathVariable String environment) {
        return sdkKeys.list(actor, project, environment);
    }

    @DeleteMapping("/{id}")
    SdkKeyView revoke(
            Actor actor, @PathVariable String project, @PathVariable String environment, @PathVariable long id) {
        return sdkKeys.revoke(actor, project, environment, id);
    }
}
