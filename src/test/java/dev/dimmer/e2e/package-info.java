/** End-to-end tests: a real server (in-process or as a separate process), the Java SDK and PostgreSQL. */
package dev.dimmer.e2e;
