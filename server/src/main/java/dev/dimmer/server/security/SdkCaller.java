package dev.dimmer.server.security;

import jakarta.servlet.http.HttpServletRequest;

/** The environment an SDK key opens, resolved by {@link SdkKeyFilter}. */
public record SdkCaller(long keyId, long environmentId) {

    static final String ATTRIBUTE = SdkCaller.class.getName();

    /** The caller of an {@code /api/sdk/v1} request (always present: the SDK chain refuses the others). */
    public static SdkCaller of(HttpServletRequest request) {
        Object caller = request.getAttribute(ATTRIBUTE);
        if (!(caller instanceof SdkCaller sdkCaller)) {
            throw new IllegalStateException("no SDK caller: is this controller outside /api/sdk/v1?");
        }
        return sdkCaller;
    }
}
