/**
 * The wire format of an environment's flag configuration, shared by the server (which stores and
 * serves it) and the SDK (which evaluates it). Plain records with no JSON library types, so the
 * server (Jackson 3) and the SDK can both bind them. Versioned with the SDK protocol
 * ({@code /api/sdk/v1}); see DESIGN.md §3 and §4.
 */
package dev.dimmer.sdk.snapshot;
