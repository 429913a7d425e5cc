package dev.dimmer.server.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated caller as Spring Security sees it: an {@link Actor} (admin token, metrics
 * token or console user) with its role as authority, or an {@link SdkCaller} with authority
 * {@value #SDK}. It never carries the secret it was proven with.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

    static final String SDK = "SDK";

    private final Object principal;
    private final boolean viaSession;

    private CallerAuthentication(Object principal, String authority, boolean viaSession) {
        super(List.of(new SimpleGrantedAuthority(authority)));
        this.principal = principal;
        this.viaSession = viaSession;
        setAuthenticated(true);
    }

    static CallerAuthentication of(Actor actor, boolean viaSession) {
        return new CallerAuthentication(actor, actor.role().authority(), viaSession);
    }

    static CallerAuthentication of(SdkCaller caller) {
        return new CallerAuthentication(caller, SDK, false);
    }

    /** True for a console session (cookie): its writes need the CSRF token and a same-origin request. */
    boolean viaSession() {
        return viaSession;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal instanceof Actor actor ? actor.name() : "sdk-key:" + ((SdkCaller) principal).keyId();
    }
}
