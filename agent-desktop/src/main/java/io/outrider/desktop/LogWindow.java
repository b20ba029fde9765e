package io.outrider.desktop;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import javax.swing.WindowConstants;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * View Logs: the agent's log as {@link AgentLog} finds it, read-only, with Refresh, and Copy command where a terminal
 * command shows the log too. Reading runs on a background thread (journalctl is a child process). Create it on the
 * Swing event thread.
 */
public final class LogWindow
        extends JFrame
{
    static final String READING = "Reading…";

    private final AgentLog log;
    private final JTextArea text = new JTextArea(30, 110);
    private final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outrider-log-window");
        thread.setDaemon(true);
        return thread;
    });

    public LogWindow(AgentLog log)
    {
        super("Outrider — Log");
        this.log = requireNonNull(log, "log is null");
        setName("log");
        setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        text.setName("logText");
        text.setEditable(false);
        text.setFont(new Font(Font.MONOSPACED, Font.PLAIN, text.getFont().getSize()));

        log.note().ifPresent(note -> {
            JTextArea noteText = new JTextArea(note);
            noteText.setName("logNote");
            noteText.setEditable(false);
            // read, not typed into: no caret blinking at its start
            noteText.setFocusable(false);
            noteText.setLineWrap(true);
            noteText.setWrapStyleWord(true);
            noteText.setOpaque(false);
            noteText.setFont(UIManager.getFont("Label.font"));
            noteText.setBorder(BorderFactory.createEmptyBorder(8, 12, 8, 12));
            getContentPane().add(noteText, BorderLayout.NORTH);
        });

        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 6, 0));
        log.command().ifPresent(command -> {
            JButton copy = new JButton("Copy command");
            copy.setName("copyCommand");
            copy.setToolTipText("Copies \"" + command + "\" to paste into a terminal");
            copy.addActionListener(event -> Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(command), null));
            buttons.add(copy);
        });
        JButton refresh = new JButton("Refresh");
        refresh.setName("refresh");
        refresh.addActionListener(event -> refresh());
        buttons.add(refresh);
        JLabel source = new JLabel(log.source());
        source.setName("logSource");
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.setBorder(BorderFactory.createEmptyBorder(6, 12, 6, 12));
        bottom.add(source, BorderLayout.CENTER);
        bottom.add(buttons, BorderLayout.EAST);
        getContentPane().add(new JScrollPane(text), BorderLayout.CENTER);
        getContentPane().add(bottom, BorderLayout.SOUTH);
        refresh();
        setIconImages(OutriderIcon.windowImages());
        pack();
        ScreenFit.fit(this, new Dimension(480, 320));
    }

    private void refresh()
    {
        text.setText(READING);
        reader.execute(() -> {
            String content;
            try {
                content = log.read();
            }
            catch (InterruptedException e) {
                // the window was closed while reading
                Thread.currentThread().interrupt();
                return;
            }
            SwingUtilities.invokeLater(() -> {
                text.setText(content);
                text.setCaretPosition(text.getDocument().getLength());
            });
        });
    }

    @Override
    public void dispose()
    {
        reader.shutdownNow();
        super.dispose();
    }
}
