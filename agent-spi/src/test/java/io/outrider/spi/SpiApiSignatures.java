package io.outrider.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The SPI's public surface as one sorted line per type and member a plugin can see: what a compatibility check
 * compares. A line holds everything whose change breaks a compiled plugin (modifiers, generic types, supertypes,
 * default/abstract, constant values) and the stability annotation of its type.
 */
final class SpiApiSignatures
{
    private SpiApiSignatures() {}

    /** The signatures of every public type found as a class file under {@code classesDirectory}. */
    static List<String> of(Path classesDirectory, ClassLoader loader)
    {
        TreeSet<String> lines = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classesDirectory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String relative = classesDirectory.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".class".length()).replace(java.io.File.separatorChar, '.');
                if (name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, loader);
                if (isVisible(type)) {
                    describe(type, lines);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return List.copyOf(lines);
    }

    private static boolean isVisible(Class<?> type)
    {
        for (Class<?> current = type; current != null; current = current.getDeclaringClass()) {
            if (!Modifier.isPublic(current.getModifiers()) && !Modifier.isProtected(current.getModifiers())) {
                return false;
            }
            if (current.isAnonymousClass() || current.isLocalClass() || current.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static void describe(Class<?> type, TreeSet<String> lines)
    {
        String owner = type.getName();
        List<String> header = new ArrayList<>();
        // modifiers, kind, name and type parameters: "public abstract interface io.outrider.spi.ComponentFactory<C,T>"
        header.add(type.toGenericString());
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum() && !type.isRecord()) {
            header.add("extends " + type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0) {
            header.add((type.isInterface() ? "extends " : "implements ")
                    + String.join(", ", Arrays.stream(type.getGenericInterfaces()).map(java.lang.reflect.Type::getTypeName).toList()));
        }
        String stability = type.isAnnotationPresent(Stable.class) ? " @Stable" : type.isAnnotationPresent(Experimental.class) ? " @Experimental" : "";
        lines.add(owner + " " + String.join(" ", header).trim().replaceAll(" +", " ") + stability);
        for (Field field : type.getDeclaredFields()) {
            if (visible(field) && !field.isSynthetic() && !field.isEnumConstant()) {
                lines.add(owner + "#" + field.getName() + " " + Modifier.toString(field.getModifiers()) + " " + field.getGenericType().getTypeName()
                        + constant(field) + experimental(field.isAnnotationPresent(Experimental.class)));
            }
            else if (field.isEnumConstant()) {
                lines.add(owner + "#" + field.getName() + " enum constant");
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor) && !constructor.isSynthetic() && !type.isEnum()) {
                lines.add(owner + "#<init> " + constructor.toGenericString().replace(constructor.getName(), "") + experimental(constructor.isAnnotationPresent(Experimental.class)));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method) && !method.isSynthetic() && !method.isBridge()) {
                String text = method.toGenericString().replace(owner + "." + method.getName(), method.getName());
                if (method.getDefaultValue() != null) {
                    text += " default " + method.getDefaultValue();
                }
                lines.add(owner + "#" + method.getName() + " " + text + experimental(method.isAnnotationPresent(Experimental.class)));
            }
        }
        if (type.isRecord()) {
            StringBuilder components = new StringBuilder();
            for (RecordComponent component : type.getRecordComponents()) {
                components.append(components.length() == 0 ? "" : ", ").append(component.getGenericType().getTypeName()).append(' ').append(component.getName());
            }
            lines.add(owner + "#<components> (" + components + ")");
        }
    }

    private static boolean visible(Member member)
    {
        return Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers());
    }

    private static String constant(Field field)
    {
        if (!(Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers()))
                || !(field.getType().isPrimitive() || field.getType() == String.class)) {
            return "";
        }
        try {
            field.setAccessible(true);
            Object value = field.get(null);
            // SpiVersion's numbers change by design with every minor version; the gate checks them apart
            return field.getDeclaringClass() == SpiVersion.class ? "" : " = " + (value instanceof String ? "\"" + value + "\"" : value);
        }
        catch (IllegalAccessException | RuntimeException e) {
            return "";
        }
    }

    private static String experimental(boolean experimental)
    {
        return experimental ? " @Experimental" : "";
    }
}
