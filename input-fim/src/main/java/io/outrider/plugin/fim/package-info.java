/**
 * File integrity monitoring input ({@code type: fim}): a SHA-256 and attribute baseline of selected files in a
 * SQLite database, kept current through kernel notifications and scheduled rescans, with every difference reported
 * as an event.
 */
package io.outrider.plugin.fim;
