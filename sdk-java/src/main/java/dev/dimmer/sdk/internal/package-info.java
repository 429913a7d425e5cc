/** Not API: transport, snapshot sync, queues and scheduling of the Dimmer SDK. May change at any time. */
package dev.dimmer.sdk.internal;
