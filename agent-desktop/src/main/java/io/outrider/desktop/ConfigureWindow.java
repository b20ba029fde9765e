package io.outrider.desktop;

import io.outrider.config.ConfigProblem;

import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.Scrollable;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;
import javax.swing.UIManager;
import javax.swing.WindowConstants;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The Configure window: collector, API key, watched files, file integrity monitoring and three options, over the
 * subset of the configuration {@link DesktopConfig} documents. The rest of the file is shown read-only and kept as it
 * is. Save validates first and, instead of writing a broken configuration, shows each error under the field it
 * concerns (the others above the buttons); a save that took is confirmed in the window, which stays open. Cancel
 * closes without touching anything. The form scrolls so that the window fits the screen with its buttons. Create and
 * use it on the Swing event thread.
 *
 * <p>It runs past 600 lines because it is one form's layout and wiring, field by field, in the order the window shows
 * them; what the form reads and writes is {@link DesktopConfig}'s and the file's text is {@link YamlDocument}'s, so
 * splitting the layout would only scatter one window over several files.
 */
public final class ConfigureWindow
        extends JFrame
{
    private final Path configFile;
    private final ConfigSaver saver;
    private final Runnable onClose;

    private final JTextField serverUrl = new JTextField(32);
    private final JComboBox<String> format = new JComboBox<>(DesktopSettings.FORMATS.toArray(String[]::new));
    private final JPasswordField apiKey = new JPasswordField(32);
    private final JCheckBox showApiKey = new JCheckBox("Show");
    private final PathList watchPaths = new PathList("watch", "Path or glob, e.g. /var/log/*.log or /home/me/logs/**/*.log", true);
    private final JCheckBox fimEnabled = new JCheckBox("Monitor these files and folders for changes");
    private final PathList fimPaths = new PathList("fim", "File or folder, e.g. /etc or /usr/local/bin/*", false);
    private final JCheckBox startAtLogin = new JCheckBox("Start the tray when I log in");
    private final JCheckBox sendHostname = new JCheckBox("Send this computer's host name");
    private final JTextField reportedHostName = new JTextField(16);
    private final JCheckBox debugLogging = new JCheckBox("Debug logging");
    private final JTextArea errors = new JTextArea(4, 60);
    private final JScrollPane errorsPane = new JScrollPane(errors);
    private final JTextArea status = message("status");
    private final Map<DesktopConfig.Field, JTextArea> fieldErrors = new EnumMap<>(DesktopConfig.Field.class);
    private final Map<DesktopConfig.Field, JComponent> fields = new EnumMap<>(DesktopConfig.Field.class);
    private final JPanel form = new Form();
    private final JButton save = new JButton("Save");
    private final JButton cancel = new JButton("Cancel");
    private final char defaultEchoChar;

    // on the event thread: the file as last read, which says where each field lives in it
    private DesktopConfig config;

    /**
     * @param onClose runs once when the window closes (Cancel, which reads Close after a save, or the close box)
     */
    public ConfigureWindow(DesktopConfig config, DesktopSettings settings, ConfigSaver saver, Runnable onClose)
    {
        super("Outrider — Configure");
        this.config = requireNonNull(config, "config is null");
        requireNonNull(settings, "settings is null");
        this.configFile = config.configFile();
        this.saver = requireNonNull(saver, "saver is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        setName("configure");
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        addWindowListener(new WindowAdapter()
        {
            @Override
            public void windowClosing(WindowEvent event)
            {
                close();
            }
        });
        defaultEchoChar = apiKey.getEchoChar();

        name(serverUrl, "serverUrl");
        name(format, "format");
        name(apiKey, "apiKey");
        name(showApiKey, "showApiKey");
        name(fimEnabled, "fimEnabled");
        name(startAtLogin, "startAtLogin");
        name(sendHostname, "sendHostname");
        name(reportedHostName, "reportedHostName");
        name(debugLogging, "debugLogging");
        name(errors, "errors");
        name(status, "status");
        name(save, "save");
        name(cancel, "cancel");

        showApiKey.addActionListener(event -> apiKey.setEchoChar(showApiKey.isSelected() ? (char) 0 : defaultEchoChar));
        fimEnabled.addActionListener(event -> fimPaths.setEnabled(fimEnabled.isSelected()));
        sendHostname.addActionListener(event -> reportedHostName.setEnabled(!sendHostname.isSelected()));
        save.addActionListener(event -> save());
        cancel.addActionListener(event -> close());
        getRootPane().setDefaultButton(save);

        show(settings);

        fields.put(DesktopConfig.Field.SERVER_URL, serverUrl);
        fields.put(DesktopConfig.Field.FORMAT, format);
        fields.put(DesktopConfig.Field.API_KEY, apiKey);
        fields.put(DesktopConfig.Field.WATCH_PATHS, watchPaths.list);
        fields.put(DesktopConfig.Field.FIM_PATHS, fimPaths.list);
        fields.put(DesktopConfig.Field.HOST_NAME, reportedHostName);

        form.setBorder(BorderFactory.createEmptyBorder(12, 12, 0, 12));
        int row = 0;
        row = section(form, row, "Collector");
        row = field(form, row, "Server URL", serverUrl);
        row = fieldError(row, DesktopConfig.Field.SERVER_URL, "serverUrlError", 1);
        row = field(form, row, "Format", format);
        row = fieldError(row, DesktopConfig.Field.FORMAT, "formatError", 1);
        JPanel keyRow = new JPanel(new BorderLayout(6, 0));
        keyRow.add(apiKey, BorderLayout.CENTER);
        keyRow.add(showApiKey, BorderLayout.EAST);
        row = field(form, row, "API key", keyRow);
        row = fieldError(row, DesktopConfig.Field.API_KEY, "apiKeyError", 1);
        row = section(form, row, "Watched files");
        row = wide(form, row, watchPaths);
        row = fieldError(row, DesktopConfig.Field.WATCH_PATHS, "watchPathsError", 0);
        row = section(form, row, "File integrity monitoring");
        row = wide(form, row, fimEnabled);
        row = wide(form, row, fimPaths);
        row = fieldError(row, DesktopConfig.Field.FIM_PATHS, "fimPathsError", 0);
        row = section(form, row, "Options");
        row = wide(form, row, startAtLogin);
        JPanel hostRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
        hostRow.add(sendHostname);
        hostRow.add(Box.createHorizontalStrut(12));
        hostRow.add(new JLabel("otherwise send "));
        hostRow.add(reportedHostName);
        row = wide(form, row, hostRow);
        row = fieldError(row, DesktopConfig.Field.HOST_NAME, "reportedHostNameError", 0);
        row = wide(form, row, debugLogging);
        row = section(form, row, "Other settings in " + configFile.getFileName() + " (kept as they are)");
        JTextArea other = new JTextArea(config.otherSettings(), 6, 60);
        name(other, "otherSettings");
        other.setEditable(false);
        other.setFont(new Font(Font.MONOSPACED, Font.PLAIN, other.getFont().getSize()));
        other.setCaretPosition(0);
        row = wide(form, row, new JScrollPane(other));

        errors.setEditable(false);
        errors.setLineWrap(true);
        errors.setWrapStyleWord(true);
        errors.setForeground(errorColor());
        errorsPane.setVisible(false);

        // errors of no field sit above the buttons, outside the scrolling form, so they are seen where Save was clicked
        JPanel buttons = new JPanel(new BorderLayout(0, 8));
        buttons.setBorder(BorderFactory.createEmptyBorder(8, 12, 12, 12));
        buttons.add(errorsPane, BorderLayout.NORTH);
        buttons.add(status, BorderLayout.CENTER);
        JPanel right = new JPanel(new FlowLayout(FlowLayout.RIGHT, 6, 0));
        right.add(cancel);
        right.add(save);
        buttons.add(right, BorderLayout.SOUTH);

        JLabel file = new JLabel("Editing " + displayed(configFile, Path.of(System.getProperty("user.home"))));
        file.setName("editing");
        file.setBorder(BorderFactory.createEmptyBorder(12, 12, 0, 12));
        getContentPane().add(file, BorderLayout.NORTH);
        JScrollPane body = new JScrollPane(form, JScrollPane.VERTICAL_SCROLLBAR_AS_NEEDED, JScrollPane.HORIZONTAL_SCROLLBAR_NEVER)
        {
            /** At most the height the screen leaves beside the title, the file line and the buttons, so pack() fits it too. */
            @Override
            public Dimension getPreferredSize()
            {
                Dimension preferred = super.getPreferredSize();
                Insets frame = ConfigureWindow.this.getInsets();
                int others = frame.top + frame.bottom + file.getPreferredSize().height + buttons.getPreferredSize().height;
                int room = Math.min(ScreenFit.MAX_HEIGHT, ScreenFit.usableScreen(ConfigureWindow.this).height) - others;
                return new Dimension(preferred.width + getVerticalScrollBar().getPreferredSize().width, Math.max(120, Math.min(preferred.height, room)));
            }
        };
        getContentPane().add(body, BorderLayout.CENTER);
        getContentPane().add(buttons, BorderLayout.SOUTH);
        setIconImages(OutriderIcon.windowImages());
        pack();
        // the form scrolls; the buttons below it stay on the screen
        ScreenFit.fit(this, new Dimension(720, 480));
    }

    /** What the window shows now. */
    public DesktopSettings settings()
    {
        return new DesktopSettings(
                serverUrl.getText().strip(),
                (String) format.getSelectedItem(),
                new String(apiKey.getPassword()).strip(),
                watchPaths.paths(),
                fimEnabled.isSelected(),
                fimPaths.paths(),
                sendHostname.isSelected(),
                reportedHostName.getText().strip(),
                debugLogging.isSelected(),
                startAtLogin.isSelected());
    }

    private void show(DesktopSettings settings)
    {
        serverUrl.setText(settings.serverUrl());
        if (!DesktopSettings.FORMATS.contains(settings.format())) {
            format.addItem(settings.format()); // an unknown format is shown, and validation says what is wrong with it
        }
        format.setSelectedItem(settings.format());
        apiKey.setText(settings.apiKey());
        watchPaths.setPaths(settings.watchPaths());
        fimEnabled.setSelected(settings.fimEnabled());
        fimPaths.setPaths(settings.fimPaths());
        fimPaths.setEnabled(settings.fimEnabled());
        startAtLogin.setSelected(settings.startAtLogin());
        sendHostname.setSelected(settings.sendHostname());
        reportedHostName.setText(settings.reportedHostName());
        reportedHostName.setEnabled(!settings.sendHostname());
        debugLogging.setSelected(settings.debugLogging());
    }

    private void save()
    {
        DesktopSettings settings = settings();
        clearErrors();
        if (!settings.sendHostname() && settings.reportedHostName().isEmpty()) {
            showFieldError(DesktopConfig.Field.HOST_NAME, "Enter the name to send instead of this computer's host name, or tick \"Send this computer's host name\".");
            notSaved("Not saved: 1 error, shown in red beside its field.");
            return;
        }
        save.setEnabled(false);
        status.setText("Checking the configuration…");
        new SwingWorker<Saved, Void>()
        {
            @Override
            protected Saved doInBackground()
                    throws InterruptedException
            {
                ConfigSaver.Outcome outcome = saver.save(configFile, settings);
                DesktopConfig saved = null;
                if (outcome.saved()) {
                    try {
                        saved = DesktopConfig.read(configFile);
                    }
                    catch (IOException | RuntimeException e) {
                        // the fields keep their places from the last read
                    }
                }
                return new Saved(outcome, Optional.ofNullable(saved));
            }

            @Override
            protected void done()
            {
                save.setEnabled(true);
                Saved result;
                try {
                    result = get();
                }
                catch (InterruptedException | ExecutionException e) {
                    result = new Saved(new ConfigSaver.Outcome(false, "Not saved: " + e.getMessage()), Optional.empty());
                }
                ConfigSaver.Outcome outcome = result.outcome();
                if (outcome.saved()) {
                    result.config().ifPresent(read -> config = read);
                    confirm(outcome.message());
                }
                else if (!outcome.problems().isEmpty()) {
                    showProblems(outcome.problems());
                }
                else {
                    showGeneralErrors(List.of(outcome.message()));
                    notSaved("Not saved: see the message below.");
                }
            }
        }.execute();
    }

    private record Saved(ConfigSaver.Outcome outcome, Optional<DesktopConfig> config)
    {
    }

    /** The window stays open with what happened, so the user sees the save took and whether the agent reloaded. */
    private void confirm(String message)
    {
        status.setForeground(successColor());
        status.setText("✓ " + message);
        cancel.setText("Close");
        getContentPane().revalidate();
    }

    /** Each problem beside the field it concerns, without file:line:column; the rest above the buttons. */
    private void showProblems(List<ConfigProblem> problems)
    {
        List<String> general = new ArrayList<>();
        int besideFields = 0;
        for (ConfigProblem problem : problems) {
            Optional<DesktopConfig.Field> field = config.fieldOf(problem.path());
            if (field.isPresent()) {
                showFieldError(field.get(), problem.message());
                besideFields++;
            }
            else {
                general.add((problem.path().isEmpty() ? "" : problem.path() + ": ") + problem.message());
            }
        }
        if (!general.isEmpty()) {
            showGeneralErrors(general);
        }
        int count = problems.size();
        String where = general.isEmpty() ? (count == 1 ? "shown in red beside its field" : "shown in red beside their fields")
                : besideFields == 0 ? "listed below" : "shown in red beside their fields and below";
        notSaved("Not saved: " + count + (count == 1 ? " error, " : " errors, ") + where + ".");
        fieldErrors.values().stream().filter(JComponent::isVisible).findFirst().ifPresent(error -> SwingUtilities.invokeLater(() -> {
            // the first error and its field into view: the form may be scrolled elsewhere
            getContentPane().validate();
            Rectangle area = SwingUtilities.convertRectangle(error.getParent(), error.getBounds(), form);
            area.add(new Point(area.x, Math.max(0, area.y - 48)));
            form.scrollRectToVisible(area);
        }));
    }

    private void showFieldError(DesktopConfig.Field field, String message)
    {
        JTextArea error = fieldErrors.get(field);
        error.setText(error.getText().isEmpty() ? message : error.getText() + "\n" + message);
        error.setVisible(true);
        fields.get(field).putClientProperty("JComponent.outline", "error");
        form.revalidate();
        // a wrapping note knows its height once it has its width: lay out once more
        SwingUtilities.invokeLater(form::revalidate);
    }

    private void showGeneralErrors(List<String> messages)
    {
        errors.setText(String.join("\n", messages));
        errors.setCaretPosition(0);
        errorsPane.setVisible(true);
    }

    private void notSaved(String message)
    {
        status.setForeground(errorColor());
        status.setText(message);
        getContentPane().revalidate();
    }

    private void clearErrors()
    {
        fieldErrors.values().forEach(error -> {
            error.setText("");
            error.setVisible(false);
        });
        fields.values().forEach(field -> field.putClientProperty("JComponent.outline", null));
        errors.setText("");
        errorsPane.setVisible(false);
        status.setForeground(UIManager.getColor("Label.foreground"));
        status.setText("");
        getContentPane().revalidate();
    }

    /** A red note under a field (column 1) or under a wide row (column 0), hidden until Save finds a problem there. */
    private int fieldError(int row, DesktopConfig.Field field, String name, int column)
    {
        JTextArea error = message(name);
        // as narrow as can be: the note takes the width of its cell and wraps there
        error.setColumns(1);
        error.setForeground(errorColor());
        error.setVisible(false);
        fieldErrors.put(field, error);
        GridBagConstraints constraints = constraints(column, row);
        constraints.gridwidth = column == 0 ? 2 : 1;
        constraints.insets = new Insets(0, 0, 4, 0);
        form.add(error, constraints);
        return row + 1;
    }

    /** Read-only text in the label font that wraps, for messages of any length. */
    private static JTextArea message(String name)
    {
        JTextArea text = new JTextArea(1, 50);
        text.setName(name);
        text.setEditable(false);
        text.setFocusable(false);
        text.setLineWrap(true);
        text.setWrapStyleWord(true);
        text.setOpaque(false);
        text.setBorder(BorderFactory.createEmptyBorder());
        text.setFont(UIManager.getFont("Label.font"));
        return text;
    }

    private void close()
    {
        setVisible(false);
        dispose();
        onClose.run();
    }

    /** The file's absolute path, with {@code ~} for the user's home as shells write it. */
    static String displayed(Path file, Path home)
    {
        Path absolute = file.toAbsolutePath().normalize();
        Path normalHome = home.toAbsolutePath().normalize();
        if (!normalHome.toString().equals("/") && absolute.startsWith(normalHome) && !absolute.equals(normalHome)) {
            return "~/" + normalHome.relativize(absolute);
        }
        return absolute.toString();
    }

    private static Color errorColor()
    {
        Color color = UIManager.getColor("Actions.Red");
        return color != null ? color : new Color(0xC6, 0x28, 0x28);
    }

    private static Color successColor()
    {
        // darker than FlatLaf's Actions.Green, which is for icons: text on a light background must stay readable
        return new Color(0x1B, 0x7F, 0x3B);
    }

    private static void name(JComponent component, String name)
    {
        component.setName(name);
    }

    private static int section(JPanel form, int row, String title)
    {
        JLabel label = new JLabel(title);
        label.setFont(label.getFont().deriveFont(Font.BOLD));
        GridBagConstraints constraints = constraints(0, row);
        constraints.gridwidth = 2;
        constraints.insets = new Insets(row == 0 ? 0 : 14, 0, 4, 0);
        form.add(label, constraints);
        return row + 1;
    }

    private static int field(JPanel form, int row, String label, JComponent component)
    {
        GridBagConstraints left = constraints(0, row);
        left.weightx = 0;
        left.insets = new Insets(2, 0, 2, 12);
        form.add(new JLabel(label), left);
        GridBagConstraints right = constraints(1, row);
        form.add(component, right);
        return row + 1;
    }

    private static int wide(JPanel form, int row, JComponent component)
    {
        GridBagConstraints constraints = constraints(0, row);
        constraints.gridwidth = 2;
        form.add(component, constraints);
        return row + 1;
    }

    private static GridBagConstraints constraints(int x, int y)
    {
        GridBagConstraints constraints = new GridBagConstraints();
        constraints.gridx = x;
        constraints.gridy = y;
        constraints.weightx = 1;
        constraints.fill = GridBagConstraints.HORIZONTAL;
        constraints.anchor = GridBagConstraints.WEST;
        constraints.insets = new Insets(2, 0, 2, 0);
        return constraints;
    }

    /**
     * The scrolling part of the window: as wide as the view, so that error notes wrap at its width instead of
     * widening the form past the window's edge; scrolled a line at a time.
     */
    private static final class Form
            extends JPanel
            implements Scrollable
    {
        Form()
        {
            super(new GridBagLayout());
        }

        @Override
        public Dimension getPreferredScrollableViewportSize()
        {
            return getPreferredSize();
        }

        @Override
        public int getScrollableUnitIncrement(Rectangle visible, int orientation, int direction)
        {
            return 16;
        }

        @Override
        public int getScrollableBlockIncrement(Rectangle visible, int orientation, int direction)
        {
            return orientation == SwingConstants.VERTICAL ? visible.height - 16 : visible.width;
        }

        @Override
        public boolean getScrollableTracksViewportWidth()
        {
            return true;
        }

        @Override
        public boolean getScrollableTracksViewportHeight()
        {
            return false;
        }
    }

    /** A list of paths with a field to type one (globs allowed), Add, Browse… and Remove. */
    private static final class PathList
            extends JPanel
    {
        private final DefaultListModel<String> model = new DefaultListModel<>();
        private final JList<String> list = new JList<>(model);
        private final JTextField input = new JTextField(30);
        private final JButton add = new JButton("Add");
        private final JButton browse = new JButton("Browse…");
        private final JButton remove = new JButton("Remove");

        PathList(String prefix, String hint, boolean filesOnly)
        {
            super(new BorderLayout(6, 6));
            list.setName(prefix + "Paths");
            input.setName(prefix + "Path");
            add.setName("add" + capitalized(prefix) + "Path");
            browse.setName("browse" + capitalized(prefix) + "Path");
            remove.setName("remove" + capitalized(prefix) + "Path");
            input.putClientProperty("JTextField.placeholderText", hint);
            input.setToolTipText(hint);
            list.setVisibleRowCount(4);

            add.addActionListener(event -> addTyped());
            input.addActionListener(event -> addTyped());
            remove.addActionListener(event -> {
                List<Integer> selected = new ArrayList<>();
                for (int index : list.getSelectedIndices()) {
                    selected.add(index);
                }
                Collections.reverse(selected);
                selected.forEach(model::remove);
            });
            browse.addActionListener(event -> {
                JFileChooser chooser = new JFileChooser();
                chooser.setFileSelectionMode(JFileChooser.FILES_AND_DIRECTORIES);
                chooser.setMultiSelectionEnabled(true);
                if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
                    for (java.io.File file : chooser.getSelectedFiles()) {
                        String path = file.getAbsolutePath();
                        // a folder in a file input means every file below it
                        addPath(filesOnly && file.isDirectory() ? path + "/**" : path);
                    }
                }
            });

            JPanel entry = new JPanel(new BorderLayout(6, 0));
            entry.add(input, BorderLayout.CENTER);
            JPanel entryButtons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 6, 0));
            entryButtons.add(add);
            entryButtons.add(browse);
            entry.add(entryButtons, BorderLayout.EAST);
            JPanel side = new JPanel();
            side.setLayout(new BoxLayout(side, BoxLayout.Y_AXIS));
            side.add(remove);
            add(entry, BorderLayout.NORTH);
            add(new JScrollPane(list), BorderLayout.CENTER);
            add(side, BorderLayout.EAST);
        }

        private void addTyped()
        {
            addPath(input.getText().strip());
            input.setText("");
        }

        private void addPath(String path)
        {
            if (!path.isEmpty() && !model.contains(path)) {
                model.addElement(path);
            }
        }

        List<String> paths()
        {
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < model.size(); i++) {
                paths.add(model.get(i));
            }
            return List.copyOf(paths);
        }

        void setPaths(List<String> paths)
        {
            model.clear();
            paths.forEach(model::addElement);
        }

        @Override
        public void setEnabled(boolean enabled)
        {
            super.setEnabled(enabled);
            for (JComponent component : List.of(list, input, add, browse, remove)) {
                component.setEnabled(enabled);
            }
        }

        private static String capitalized(String text)
        {
            return Character.toUpperCase(text.charAt(0)) + text.substring(1);
        }
    }
}
