/**
 * The Dimmer Java SDK's public API: {@link dev.dimmer.sdk.DimmerClient} (built with {@link
 * dev.dimmer.sdk.DimmerClient#builder(String)}), its states, change notifications and the
 * not-ready exception. Everything under {@code internal} is not API.
 */
package dev.dimmer.sdk;
