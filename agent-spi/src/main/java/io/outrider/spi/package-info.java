/**
 * The Outrider plugin API.
 *
 * <p>A plugin is a jar (or a folder of jars) with a {@code META-INF/services/io.outrider.spi.Plugin} entry naming
 * one implementation of {@link io.outrider.spi.Plugin}. The agent gives every plugin its own class loader that sees
 * only the JDK, this package tree, and the plugin's own jars. A plugin contributes factories for three kinds of
 * component:
 * <ul>
 *   <li>{@link io.outrider.spi.Input}: reads a source (files, a journal, an event log) and hands batches of
 *       {@link io.outrider.spi.Event}s together with its new {@link io.outrider.spi.Checkpoint}s to an
 *       {@link io.outrider.spi.Emitter};</li>
 *   <li>{@link io.outrider.spi.Parser}: turns one event into zero or more structured events;</li>
 *   <li>{@link io.outrider.spi.Output}: delivers a batch to a collector and says precisely what happened
 *       ({@link io.outrider.spi.DeliveryResult}).</li>
 * </ul>
 * Everything here depends on the JDK only. Host services (logging, metrics, durable storage, the clock) reach a
 * component through its {@link io.outrider.spi.ComponentContext}, which only ever grows by default methods.
 */
package io.outrider.spi;
