package dev.gavel.sidecar.sts;

import dev.gavel.directory.Tag;
import dev.gavel.json.NameHints;
import dev.gavel.sts.StsException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One request's parameters, read as an action's parameters are named in the AWS query protocol:
 * scalars by name ({@code RoleArn}), lists as {@code Name.member.1}, {@code Name.member.2}...
 * and lists of structures as {@code Name.member.1.Field} ({@code Tags.member.1.Key},
 * {@code PolicyArns.member.1.arn}). An empty list may also be sent as {@code Name=}, as the AWS CLI
 * sends it.
 *
 * <p>The action reads each parameter it takes; {@link #refuseUnread()} then refuses any other, so
 * that a misspelt parameter ({@code ExternalID}) is an error that names it, never silently
 * ignored. Refusals name the parameter as the request spelt it.
 */
final class ActionParameters {

    private static final Pattern INDEX = Pattern.compile("[1-9][0-9]{0,5}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
    /** Parameters of every request, read before the action's own. */
    static final Set<String> COMMON = Set.of("Action", "Version");

    private final String action;
    private final Map<String, String> values;
    private final List<String> known = new ArrayList<>();
    private final Set<String> read = new HashSet<>(COMMON);

    ActionParameters(String action, Map<String, String> values) {
        this.action = action;
        this.values = values;
    }

    /** A parameter's value, or null when it is not given. */
    String optional(String name) {
        known.add(name);
        read.add(name);
        return values.get(name);
    }

    /** A parameter the action cannot do without. */
    String required(String name) throws StsException {
        String value = optional(name);
        if (value == null) {
            throw validation("null", name, "Member must not be null");
        }
        return value;
    }

    /** A whole number, or null when it is not given. */
    Integer integer(String name) throws StsException {
        String value = optional(name);
        if (value == null) {
            return null;
        }
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw validation("'" + value + "'", name, "Member must be a whole number");
        }
        return Integer.valueOf(value);
    }

    /** A list of strings: {@code Name.member.N}. */
    List<String> list(String name) throws StsException {
        emptyList(name);
        TreeMap<Integer, String> members = members(name, null);
        contiguous(name, null, members.keySet());
        return new ArrayList<>(members.values());
    }

    /** One field of a list of structures: {@code Name.member.N.field}. */
    List<String> list(String name, String field) throws StsException {
        emptyList(name);
        TreeMap<Integer, String> members = members(name, field);
        contiguous(name, field, members.keySet());
        return new ArrayList<>(members.values());
    }

    /** Session tags: {@code Name.member.N.Key} and {@code Name.member.N.Value}, each tag with both. */
    List<Tag> tags(String name) throws StsException {
        emptyList(name);
        TreeMap<Integer, String> keys = members(name, "Key");
        TreeMap<Integer, String> tagValues = members(name, "Value");
        Set<Integer> indexes = new TreeSet<>(keys.keySet());
        indexes.addAll(tagValues.keySet());
        contiguous(name, "Key", indexes);
        List<Tag> tags = new ArrayList<>(indexes.size());
        for (int index : indexes) {
            String key = keys.get(index);
            String value = tagValues.get(index);
            if (key == null || value == null) {
                throw validation("null", name + ".member." + index + (key == null ? ".Key" : ".Value"),
                        "Member must not be null");
            }
            tags.add(new Tag(key, value));
        }
        return tags;
    }

    /** Refuses a parameter of the AWS API that Gavel does not implement, when the request gives it. */
    void unsupported(String name, String why) throws StsException {
        known.add(name);
        for (String given : values.keySet()) {
            if (given.equals(name) || given.startsWith(name + ".")) {
                throw new StsException(StsErrors.INVALID_PARAMETER_VALUE, "Gavel does not support the parameter "
                        + name + " of " + action + ": " + why);
            }
        }
    }

    /** Refuses the first parameter the action did not read: one it does not take. */
    void refuseUnread() throws StsException {
        for (String given : values.keySet()) {
            if (read.contains(given)) {
                continue;
            }
            String generic = given.replaceAll("\\.member\\.[0-9]+", ".member.N");
            String hint = NameHints.closest(generic, known);
            throw new StsException(StsErrors.INVALID_QUERY_PARAMETER, action + " has no parameter " + given
                    + (hint != null ? ": did you mean " + hint + "?"
                    : known.isEmpty() ? "; it takes none" : "; it takes " + String.join(", ", known)));
        }
    }

    /** {@code Name=} with no value: an empty list. Any other value there is refused. */
    private void emptyList(String name) throws StsException {
        String value = values.get(name);
        read.add(name);
        if (value != null && !value.isEmpty()) {
            throw new StsException(StsErrors.INVALID_QUERY_PARAMETER, name + " is a list: give its members as "
                    + name + ".member.1, " + name + ".member.2 and so on, not as " + name + "=" + value);
        }
    }

    /** The members {@code Name.member.N} (or {@code Name.member.N.field}) by N; other shapes are left unread. */
    private TreeMap<Integer, String> members(String name, String field) {
        String prefix = name + ".member.";
        String suffix = field == null ? "" : "." + field;
        known.add(prefix + "N" + suffix);
        TreeMap<Integer, String> members = new TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            if (key.length() > prefix.length() + suffix.length() && key.startsWith(prefix) && key.endsWith(suffix)) {
                String index = key.substring(prefix.length(), key.length() - suffix.length());
                if (INDEX.matcher(index).matches()) {
                    members.put(Integer.valueOf(index), entry.getValue());
                    read.add(key);
                }
            }
        }
        return members;
    }

    /** Members are numbered from 1 with no gap, as AWS's clients number them. */
    private static void contiguous(String name, String field, Set<Integer> indexes) throws StsException {
        int expected = 1;
        for (int index : indexes) {
            if (index != expected) {
                throw new StsException(StsErrors.INVALID_QUERY_PARAMETER, name + ".member." + expected
                        + (field == null ? "" : "." + field) + " is missing: list members are numbered from 1 "
                        + "with no gap, and " + name + ".member." + index + " is given");
            }
            expected++;
        }
    }

    /** A refusal in the words of AWS's validation of a member, naming the parameter as the request does. */
    static StsException validation(String value, String name, String constraint) {
        return new StsException(StsErrors.VALIDATION_ERROR, "1 validation error detected: Value " + value + " at '"
                + name + "' failed to satisfy constraint: " + constraint);
    }
}
