package io.outrider.spi.config;

import io.outrider.spi.Stable;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a configuration record component: the property holds a secret (API key, password). The agent masks it
 * wherever configuration or errors are printed and redacts its value from the agent's log. Prefer taking such
 * values through {@code ${VAR}} or {@code ${file:PATH}} substitution so they are never written into the YAML.
 */
@Stable
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Sensitive
{
}
