package io.outrider.spi.config;

import io.outrider.spi.Stable;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a configuration record component: one line saying what the option does, for {@code outrider plugins --verbose},
 * {@code outrider plugins describe TYPE} and the generated reference docs, which show it next to the option's YAML
 * name, type and default. Say what the value means and which values are useful; the default is shown from the
 * record's compact constructor, so it need not be repeated.
 */
@Stable
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Description
{
    String value();
}
