import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Scopes;
import com.google.inject.Stage;
import org.sqlite.SQLiteConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The memory floor under the agent, for bench/jvm-floor.sh: a JVM that uses some of the libraries the agent starts
 * with, the way the agent does, and then does nothing. The parts ({@code none}, or some of them, comma-separated):
 * {@code picocli} parses a command line, {@code yaml} composes a configuration file's nodes with SnakeYAML,
 * {@code guice} builds a production injector with explicit bindings, {@code sqlite} opens a WAL database with the
 * buffer's settings and writes and reads a row, {@code timer} starts one scheduled thread that wakes every 5 s.
 * Usage: {@code JvmFloor PARTS CONFIG_FILE DATABASE_DIR [train]}. Prints {@code ready} when it has used them; with
 * {@code train} it then exits (for a class-data sharing archive), otherwise it sleeps until killed.
 */
public final class JvmFloor
{
    private static final Set<String> PARTS = Set.of("picocli", "yaml", "guice", "sqlite", "timer");

    private JvmFloor() {}

    public static void main(String[] args)
            throws Exception
    {
        Set<String> parts = args[0].equals("none") ? Set.of() : Set.of(args[0].split(","));
        if (!PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("the parts are none or some of " + PARTS + ", not " + args[0]);
        }
        use(parts, Path.of(args[1]), Path.of(args[2]));
        System.out.println("ready");
        if (args[args.length - 1].equals("train")) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    @CommandLine.Command(name = "run")
    static final class RunCommand
    {
        @CommandLine.Option(names = {"-c", "--config"})
        Path config;
    }

    interface Clock {}

    static final class SystemClock
            implements Clock {}

    static final class Service
    {
        final Clock clock;

        @Inject
        Service(Clock clock)
        {
            this.clock = clock;
        }
    }

    private static void use(Set<String> parts, Path config, Path directory)
            throws Exception
    {
        if (parts.contains("picocli")) {
            RunCommand command = new RunCommand();
            new CommandLine(command).parseArgs("-c", config.toString());
        }
        if (parts.contains("yaml") && new Yaml(new LoaderOptions()).compose(new StringReader(Files.readString(config))) == null) {
            throw new IllegalStateException(config + " has no YAML document");
        }
        if (parts.contains("guice")) {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new AbstractModule()
            {
                @Override
                protected void configure()
                {
                    binder().requireExplicitBindings();
                    bind(Clock.class).to(SystemClock.class).in(Scopes.SINGLETON);
                    bind(SystemClock.class).in(Scopes.SINGLETON);
                    bind(Service.class).in(Scopes.SINGLETON);
                }
            });
            injector.getInstance(Service.class);
        }
        if (parts.contains("sqlite")) {
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.setTempStore(SQLiteConfig.TempStore.MEMORY);
            Connection connection = sqlite.createConnection("jdbc:sqlite:" + directory.resolve("floor.db"));
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA cache_size = -512");
                statement.execute("CREATE TABLE IF NOT EXISTS blocks (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO blocks (data) VALUES (?)")) {
                insert.setBytes(1, new byte[4096]);
                insert.executeUpdate();
            }
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM blocks")) {
                rows.next();
            }
        }
        if (parts.contains("timer")) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            timer.scheduleWithFixedDelay(() -> {}, 5, 5, TimeUnit.SECONDS);
        }
    }
}
