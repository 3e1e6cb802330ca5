/**
 * The text encodings tokens and keys travel in, strict: unpadded canonical base64url, hex and
 * Base58 (Graphene keys), each refusing what it would not itself write.
 */
package dev.signet.codec;
