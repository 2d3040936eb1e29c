/**
 * HTTP syntax that both the ingest path and the read API need (how a request-target splits into path and query).
 * A leaf: it depends on nothing else in the forwarder.
 */
package dev.tapline.forwarder.http;
