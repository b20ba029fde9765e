package io.outrider.desktop;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.WindowConstants;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** View Logs: the end of the agent's log file, read-only, with Refresh. Create it on the Swing event thread. */
public final class LogWindow
        extends JFrame
{
    /** Enough for the recent past without loading a rotated-at-10MiB file whole. */
    static final int TAIL_BYTES = 256 * 1024;

    private final Path logFile;
    private final JTextArea text = new JTextArea(30, 110);

    public LogWindow(Path logFile)
    {
        super("Outrider — Log");
        this.logFile = requireNonNull(logFile, "logFile is null");
        setName("log");
        setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        text.setName("logText");
        text.setEditable(false);
        text.setFont(new Font(Font.MONOSPACED, Font.PLAIN, text.getFont().getSize()));
        JButton refresh = new JButton("Refresh");
        refresh.setName("refresh");
        refresh.addActionListener(event -> refresh());
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.setBorder(BorderFactory.createEmptyBorder(6, 12, 6, 12));
        bottom.add(new JLabel(logFile.toString()), BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
        buttons.add(refresh);
        bottom.add(buttons, BorderLayout.EAST);
        getContentPane().add(new JScrollPane(text), BorderLayout.CENTER);
        getContentPane().add(bottom, BorderLayout.SOUTH);
        refresh();
        pack();
        setMinimumSize(new Dimension(480, 320));
        setLocationRelativeTo(null);
    }

    private void refresh()
    {
        text.setText(read(logFile));
        text.setCaretPosition(text.getDocument().getLength());
    }

    static String read(Path logFile)
    {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            String tail = new String(bytes, StandardCharsets.UTF_8);
            // start at a whole line when the file was cut
            return start == 0 ? tail : tail.substring(tail.indexOf('\n') + 1);
        }
        catch (java.io.FileNotFoundException | NoSuchFileException e) {
            return Files.exists(logFile)
                    ? "Cannot read " + logFile + ": this user may not read the agent's log (" + e.getMessage() + ")."
                    : "No log at " + logFile + " yet. The agent writes it there when it runs as a service; on a terminal it logs to the terminal.";
        }
        catch (IOException e) {
            return "Cannot read " + logFile + ": " + e.getMessage();
        }
    }
}
