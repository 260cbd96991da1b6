package dev.gavel.policy;

/** How serious a finding is, in the words of IAM Access Analyzer's policy validation. */
public enum Severity {
    /** AWS would reject the policy, or Gavel cannot evaluate it. */
    ERROR,
    /** The policy grants more than its author likely meant. */
    SECURITY_WARNING,
    /** The policy is accepted but something in it does not do what it appears to. */
    WARNING,
    /** The policy works; it can be written more simply. */
    SUGGESTION
}
