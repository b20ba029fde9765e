/** Annotations on configuration record components that tell the agent how to bind and print them. */
package io.outrider.spi.config;
