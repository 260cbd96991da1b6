/**
 * Questions about a whole directory rather than one request. {@link dev.gavel.analysis.WhoCan}
 * answers "who may perform this action on this resource?": it decides every user and a
 * representative session of every role of the directory with the compiled check, explains only
 * the principals it finds allowed, and reads the resource's own policy (or, for the STS actions a
 * trust policy governs, the role's trust policy) for the principals outside the directory that it
 * names. The package reads the engine; nothing in the engine reads it.
 */
package dev.gavel.analysis;
