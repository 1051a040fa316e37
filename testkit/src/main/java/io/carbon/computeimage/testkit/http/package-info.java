/**
 * A real loopback HTTP server for tests ({@link io.carbon.computeimage.testkit.http.TestHttpServer}):
 * serves a mirror directory tree with ranges and validators, canned responses, and programmable
 * faults (resets, 5xx, 429, truncation, stalls, cross-origin redirects, ignored ranges).
 */
package io.carbon.computeimage.testkit.http;
