/** Rate limits: named policies, GCRA decisions, their HTTP fields, and a bounded in-memory state. */
package dev.signet.limits;
