package io.outrider.spi.config;

import io.outrider.spi.Stable;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a configuration record component: the property must be present (and not {@code null}); its absence is
 * reported with the component's YAML location, together with every other configuration error.
 */
@Stable
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Required
{
}
