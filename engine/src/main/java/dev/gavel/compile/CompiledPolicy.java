package dev.gavel.compile;

import dev.gavel.policy.Policy;
import dev.gavel.policy.Statement;
import java.util.List;

/** A policy document compiled once, whatever role it plays and however many principals share it. */
final class CompiledPolicy {

    final Policy source;
    final CompiledStatement[] statements;

    CompiledPolicy(Policy source, Symbols symbols) {
        this.source = source;
        List<Statement> list = source.statements();
        this.statements = new CompiledStatement[list.size()];
        for (int i = 0; i < statements.length; i++) {
            statements[i] = new CompiledStatement(list.get(i), source, symbols);
        }
    }
}
