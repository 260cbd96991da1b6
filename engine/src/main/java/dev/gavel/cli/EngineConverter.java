package dev.gavel.cli;

import dev.gavel.simulate.CaseRunner;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --engine compiled|reference}. */
final class EngineConverter implements ITypeConverter<CaseRunner.Engine> {

    @Override
    public CaseRunner.Engine convert(String value) {
        try {
            return CaseRunner.Engine.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("unknown engine '" + value + "'; expected compiled or reference");
        }
    }
}
