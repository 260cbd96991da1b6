package dev.gavel.policy;

/** A statement's {@code Effect}. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String jsonName;

    Effect(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The exact word a policy uses. */
    public String jsonName() {
        return jsonName;
    }

    /** The effect for an exactly spelled {@code Allow} or {@code Deny}, or null. */
    public static Effect fromJson(String text) {
        for (Effect effect : values()) {
            if (effect.jsonName.equals(text)) {
                return effect;
            }
        }
        return null;
    }
}
