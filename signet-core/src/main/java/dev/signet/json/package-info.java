/**
 * JSON read one way everywhere: Jackson with duplicate keys, trailing data and oversized input
 * refused ({@link dev.signet.json.StrictJson}).
 */
package dev.signet.json;
