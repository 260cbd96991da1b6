package dev.gavel.sts;

/** The parameters of {@code GetSessionToken}. Null means not given. */
public record SessionTokenRequest(Integer durationSeconds, String serialNumber, String tokenCode) {}
