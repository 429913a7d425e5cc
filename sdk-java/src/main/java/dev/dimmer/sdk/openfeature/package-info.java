/**
 * The OpenFeature provider for Dimmer. Needs {@code dev.openfeature:sdk} on the class path (an
 * optional dependency of the SDK).
 */
package dev.dimmer.sdk.openfeature;
