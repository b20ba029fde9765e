package io.outrider.desktop;

import javax.swing.BorderFactory;
import javax.swing.BoundedRangeModel;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollBar;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.UIManager;
import javax.swing.WindowConstants;
import javax.swing.text.DefaultCaret;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * View Logs: the agent's log as {@link AgentLog} finds it, read-only, with Refresh, Follow, and Copy command where a
 * terminal command shows the log too. Follow (on at first) reads the log again every few seconds and keeps its end in
 * view, like {@code tail -f}; scrolling up to read stops it, scrolling back to the end or ticking it resumes it.
 * Reading runs on a background thread (journalctl is a child process). Create it on the Swing event thread.
 */
public final class LogWindow
        extends JFrame
{
    static final String READING = "Reading…";
    static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(2);

    private final AgentLog log;
    private final JTextArea text = new JTextArea(30, 110);
    private final JScrollPane scroll = new JScrollPane(text);
    private final JCheckBox follow = new JCheckBox("Follow", true);
    private final Timer followTimer;
    // on the event thread: a read is under way (follow does not queue another), and the window moves the view itself
    private boolean reading;
    private boolean scrollingItself;
    private int lastMaximum;
    private int lastExtent;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outrider-log-window");
        thread.setDaemon(true);
        return thread;
    });

    public LogWindow(AgentLog log)
    {
        this(log, FOLLOW_INTERVAL);
    }

    /** @param followInterval how often Follow reads the log again */
    LogWindow(AgentLog log, Duration followInterval)
    {
        super("Outrider — Log");
        this.log = requireNonNull(log, "log is null");
        followTimer = new Timer((int) followInterval.toMillis(), event -> read());
        // setText must not move the view: the window decides, from Follow
        ((DefaultCaret) text.getCaret()).setUpdatePolicy(DefaultCaret.NEVER_UPDATE);
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
        follow.setName("follow");
        follow.setToolTipText("Read the log again every " + followInterval.toSeconds() + " seconds and keep its end in view");
        follow.addActionListener(event -> following(follow.isSelected()));
        buttons.add(follow);
        JButton refresh = new JButton("Refresh");
        refresh.setName("refresh");
        refresh.addActionListener(event -> read());
        buttons.add(refresh);
        JLabel source = new JLabel(log instanceof AgentLog.LogFile file
                ? ConfigureWindow.displayed(file.file(), Path.of(System.getProperty("user.home")))
                : log.source());
        source.setName("logSource");
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.setBorder(BorderFactory.createEmptyBorder(6, 12, 6, 12));
        bottom.add(source, BorderLayout.CENTER);
        bottom.add(buttons, BorderLayout.EAST);
        getContentPane().add(scroll, BorderLayout.CENTER);
        getContentPane().add(bottom, BorderLayout.SOUTH);
        scroll.getVerticalScrollBar().getModel().addChangeListener(event -> userScrolled());
        text.setText(READING);
        read();
        followTimer.start();
        setIconImages(OutriderIcon.windowImages());
        pack();
        ScreenFit.fit(this, new Dimension(480, 320));
    }

    private void read()
    {
        if (reading) {
            return;
        }
        reading = true;
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
                reading = false;
                show(content);
            });
        });
    }

    /** The new content, with the end in view while following, else the view where the user left it. */
    private void show(String content)
    {
        if (content.equals(text.getText())) {
            return;
        }
        JScrollBar bar = scroll.getVerticalScrollBar();
        int position = bar.getValue();
        scrollingItself = true;
        try {
            text.setText(content);
            // lay out now, so that the scroll bar knows the new length before the view moves
            scroll.validate();
            bar.setValue(follow.isSelected() ? bar.getMaximum() : position);
        }
        finally {
            scrollingItself = false;
        }
    }

    private void following(boolean on)
    {
        if (on) {
            scrollingItself = true;
            try {
                JScrollBar bar = scroll.getVerticalScrollBar();
                bar.setValue(bar.getMaximum());
            }
            finally {
                scrollingItself = false;
            }
            read();
            followTimer.start();
        }
        else {
            followTimer.stop();
        }
    }

    /** The user moved the view (the length did not change): away from the end stops following, back to it resumes. */
    private void userScrolled()
    {
        BoundedRangeModel model = scroll.getVerticalScrollBar().getModel();
        boolean resized = model.getMaximum() != lastMaximum || model.getExtent() != lastExtent;
        lastMaximum = model.getMaximum();
        lastExtent = model.getExtent();
        if (resized || scrollingItself) {
            return;
        }
        if (follow.isSelected() != atEnd(model)) {
            follow.setSelected(atEnd(model));
            following(follow.isSelected());
        }
    }

    private static boolean atEnd(BoundedRangeModel model)
    {
        // within a few pixels: a line's fraction left below does not count as reading above the end
        return model.getValue() + model.getExtent() >= model.getMaximum() - 4;
    }

    @Override
    public void dispose()
    {
        followTimer.stop();
        reader.shutdownNow();
        super.dispose();
    }
}
