package io.outrider.core.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * picocli instantiates every command, so their static state is initialised by every {@code outrider run}: a static
 * Jackson {@code ObjectMapper} in {@code tap} or {@code top} loaded Jackson's data binding (370 classes) into the idle
 * agent and cost 13 MB of its resident memory. Commands create such things when they run.
 */
class TestCommandsStayLight
{
    @Test
    void noCommandHoldsJacksonDataBindingInAStaticField()
    {
        List<String> offenders = new ArrayList<>();
        Deque<Class<?>> commands = new ArrayDeque<>(List.of(OutriderCommand.class));
        while (!commands.isEmpty()) {
            Class<?> command = commands.pop();
            for (Field field : command.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType().getName().startsWith("com.fasterxml.jackson.databind.")) {
                    offenders.add(command.getSimpleName() + "." + field.getName());
                }
            }
            Command annotation = command.getAnnotation(Command.class);
            if (annotation != null) {
                commands.addAll(List.of(annotation.subcommands()));
            }
        }
        assertThat(offenders).isEmpty();
    }
}
