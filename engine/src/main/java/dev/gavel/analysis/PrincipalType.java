package dev.gavel.analysis;

/** The directory's principals who-can examines: users, and roles as the sessions that act for them. */
public enum PrincipalType {
    USER("user"),
    ROLE("role");

    private final String jsonName;

    PrincipalType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
