package dev.gavel.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.condition.BaseOperator;
import dev.gavel.condition.ConditionOperator;
import dev.gavel.condition.SetOperator;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the parser and writer over generated policies and generated garbage. */
class PolicyProperties {

    @Property(tries = 300)
    void printingThenParsingGivesBackThePolicy(@ForAll("policies") Policy policy) {
        String printed = PolicyWriter.write(policy);
        ParseResult reparsed = PolicyParser.parse("printed", printed);
        assertThat(reparsed.hasErrors()).as(printed).isFalse();
        assertThat(withoutPositions(reparsed.policy())).isEqualTo(withoutPositions(policy));
        assertThat(PolicyWriter.write(reparsed.policy())).isEqualTo(printed);
    }

    @Property(tries = 500)
    void anyStatementParsesOrIsReportedNeverThrows(@ForAll("statementTexts") String statement) {
        String text = "{\"Version\": \"2012-10-17\", \"Statement\": " + statement + "}";
        ParseResult result = PolicyParser.parse("random", text);
        assertThat(result.policy() != null || result.hasErrors()).isTrue();
        if (result.policy() != null) {
            new PolicyValidator(PolicyValidator.Options.of(PolicyType.RESOURCE)).validate(result.policy());
        }
    }

    @Property(tries = 500)
    void anyTextIsReadOrReportedNeverThrows(@ForAll("jsonishTexts") String text) {
        ParseResult result = PolicyParser.parse("garbage", text);
        assertThat(result.policy() != null || result.hasErrors()).isTrue();
        for (Finding finding : result.findings()) {
            assertThat(finding.location().line()).isPositive();
        }
    }

    @Provide
    Arbitrary<Policy> policies() {
        return Combinators.combine(
                Arbitraries.of(PolicyVersion.values()),
                Arbitraries.strings().alpha().ofMaxLength(8).injectNull(0.7),
                statements().list().ofMinSize(1).ofMaxSize(4))
                .as((version, id, statements) -> {
                    List<Statement> indexed = new ArrayList<>();
                    for (int i = 0; i < statements.size(); i++) {
                        Statement s = statements.get(i);
                        indexed.add(new Statement(i, s.sid(), s.effect(), s.action(), s.resource(), s.principal(),
                                s.conditions(), SourceLocation.NONE));
                    }
                    return new Policy("generated", version, id == null ? null : PolicyString.of(id), indexed,
                            SourceLocation.NONE, -1, -1);
                });
    }

    private Arbitrary<Statement> statements() {
        Arbitrary<PolicyString> sid = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(10)
                .map(PolicyString::of).injectNull(0.5);
        Arbitrary<PatternElement> actions = patterns(Arbitraries.of("s3:GetObject", "s3:*", "*", "iam:Pass?ole",
                "ec2:Describe*", "sts:AssumeRole"));
        Arbitrary<PatternElement> resources = patterns(Arbitraries.of("*", "arn:aws:s3:::bucket/*",
                "arn:aws:iam::111122223333:user/${aws:username}", "arn:aws:kms:*:111122223333:key/*"))
                .injectNull(0.2);
        Arbitrary<PrincipalElement> principals = principal().injectNull(0.5);
        Arbitrary<List<Condition>> conditions = condition().list().ofMaxSize(3).map(PolicyProperties::grouped);
        return Combinators.combine(sid, Arbitraries.of(Effect.values()), actions, resources, principals, conditions)
                .as((s, effect, action, resource, principal, condition) ->
                        new Statement(0, s, effect, action, resource, principal, condition, SourceLocation.NONE));
    }

    private static Arbitrary<PatternElement> patterns(Arbitrary<String> values) {
        return Combinators.combine(Arbitraries.of(true, false), values.list().uniqueElements().ofMinSize(1).ofMaxSize(3))
                .as((negated, list) -> new PatternElement(negated, list.stream().map(PolicyString::of).toList(),
                        SourceLocation.NONE));
    }

    private static Arbitrary<PrincipalElement> principal() {
        Arbitrary<PrincipalId> id = Arbitraries.of(
                new PrincipalId(PrincipalKind.AWS, "111122223333", SourceLocation.NONE),
                new PrincipalId(PrincipalKind.AWS, "arn:aws:iam::111122223333:role/App", SourceLocation.NONE),
                new PrincipalId(PrincipalKind.SERVICE, "ec2.amazonaws.com", SourceLocation.NONE),
                new PrincipalId(PrincipalKind.FEDERATED, "cognito-identity.amazonaws.com", SourceLocation.NONE));
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                id.list().uniqueElements().ofMinSize(1).ofMaxSize(3))
                .as((negated, anyone, ids) -> new PrincipalElement(negated, anyone,
                        anyone ? List.of() : groupedByKind(ids), SourceLocation.NONE));
    }

    /** Principal ids in the order the writer groups them: by kind, first appearance first. */
    private static List<PrincipalId> groupedByKind(List<PrincipalId> ids) {
        List<PrincipalId> out = new ArrayList<>();
        ids.stream().map(PrincipalId::kind).distinct()
                .forEach(kind -> ids.stream().filter(i -> i.kind() == kind).forEach(out::add));
        return out;
    }

    private static Arbitrary<Condition> condition() {
        Arbitrary<ConditionOperator> operator = Combinators.combine(Arbitraries.of(SetOperator.values()),
                Arbitraries.of(BaseOperator.values()), Arbitraries.of(true, false))
                .as((set, base, ifExists) -> new ConditionOperator(set, base, ifExists && base != BaseOperator.NULL));
        Arbitrary<ConditionValue> value = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12)
                        .map(t -> new ConditionValue(t, ConditionValue.JsonType.STRING, SourceLocation.NONE)),
                Arbitraries.integers().between(-5, 5000)
                        .map(n -> new ConditionValue(Integer.toString(n), ConditionValue.JsonType.NUMBER, SourceLocation.NONE)),
                Arbitraries.of("true", "false")
                        .map(b -> new ConditionValue(b, ConditionValue.JsonType.BOOLEAN, SourceLocation.NONE)));
        return Combinators.combine(operator, Arbitraries.of("aws:username", "aws:SourceIp", "aws:TagKeys", "s3:prefix"),
                value.list().ofMinSize(1).ofMaxSize(3))
                .as((op, key, values) -> new Condition(op, key, values, SourceLocation.NONE));
    }

    /** Conditions as the parser yields them: grouped by operator, one key once per operator. */
    private static List<Condition> grouped(List<Condition> conditions) {
        List<Condition> out = new ArrayList<>();
        conditions.stream().map(c -> c.operator().jsonName()).distinct().forEach(name -> conditions.stream()
                .filter(c -> c.operator().jsonName().equals(name))
                .filter(c -> out.stream().noneMatch(o -> o.operator().equals(c.operator()) && o.key().equals(c.key())))
                .forEach(out::add));
        return out;
    }

    private static final String[] KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
        "Principal", "NotPrincipal", "Condition", "Bogus", "StringEquals", "ForAnyValue:StringLike", "AWS", "Service",
        "aws:SourceIp", "Null", "IpAddressIfExists"};
    private static final String[] SCALARS = {"\"Allow\"", "\"Deny\"", "\"*\"", "\"s3:Get*\"",
        "\"arn:aws:s3:::b/*\"", "1", "true", "null", "\"${aws:username}\"", "\"\"", "[]", "{}", "\"10.0.0.0/8\""};

    /** Statement-shaped JSON: policy keys nested at random with values of every type. */
    @Provide
    Arbitrary<String> statementTexts() {
        return Arbitraries.randomValue(random -> object(random, 3));
    }

    private static String object(java.util.Random random, int depth) {
        int members = random.nextInt(6);
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < members; i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(KEYS[random.nextInt(KEYS.length)]).append("\": ")
                    .append(value(random, depth - 1));
        }
        return out.append('}').toString();
    }

    private static String value(java.util.Random random, int depth) {
        int kind = depth <= 0 ? 0 : random.nextInt(3);
        if (kind == 1) {
            int size = random.nextInt(4);
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < size; i++) {
                out.append(i == 0 ? "" : ", ").append(value(random, depth - 1));
            }
            return out.append(']').toString();
        }
        return kind == 2 ? object(random, depth) : SCALARS[random.nextInt(SCALARS.length)];
    }

    @Provide
    Arbitrary<String> jsonishTexts() {
        return Arbitraries.strings().withChars("{}[]\":,0123456789.-eE tfnrulas\\\n*$ESV").ofMaxLength(80);
    }

    /** The policy with every position removed, for comparing a reparsed policy with the original. */
    private static Policy withoutPositions(Policy p) {
        List<Statement> statements = new ArrayList<>();
        for (Statement s : p.statements()) {
            statements.add(new Statement(s.index(), strip(s.sid()), s.effect(), strip(s.action()), strip(s.resource()),
                    s.principal() == null ? null : new PrincipalElement(s.principal().negated(), s.principal().anyone(),
                            s.principal().ids().stream().map(i -> new PrincipalId(i.kind(), i.value(), SourceLocation.NONE))
                                    .toList(), SourceLocation.NONE),
                    s.conditions().stream().map(c -> new Condition(c.operator(), c.key(), c.values().stream()
                            .map(v -> new ConditionValue(v.text(), v.json(), SourceLocation.NONE)).toList(),
                            SourceLocation.NONE)).toList(),
                    SourceLocation.NONE));
        }
        return new Policy("", p.version(), strip(p.id()), statements, SourceLocation.NONE, -1, -1);
    }

    private static PolicyString strip(PolicyString s) {
        return s == null ? null : PolicyString.of(s.value());
    }

    private static PatternElement strip(PatternElement e) {
        return e == null ? null : new PatternElement(e.negated(), e.patterns().stream().map(PolicyProperties::strip).toList(),
                SourceLocation.NONE);
    }
}
