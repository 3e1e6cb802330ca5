/**
 * Graphene (Hive) signed logins: the seven-part payload, its signer, and a verifier that recovers
 * the public key and checks posting authority, block age and id, and the auth identifier against
 * chain data the caller supplies.
 */
package dev.signet.scheme.graphene;
