package dev.sluice.app.cli;

import dev.sluice.broker.BrokerException;
import dev.sluice.log.LogException;
import dev.sluice.log.config.Levenshtein;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into what a person should read: one line that names the problem and the fix, and an exit code.
 * User mistakes never print a stack trace; an unexpected error prints one only with {@code --debug}.
 */
public final class UserErrors {
    /** A mistake in input or usage whose message is complete as it is. */
    public static final class UserException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UserException(String message) {
            super(message);
        }
    }

    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private UserErrors() {}

    public static int handle(Exception e, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (isUserError(e)) {
            err.println("error: " + e.getMessage());
            err.flush();
            return FAILURE;
        }
        boolean debug = parsed.hasMatchedOption("--debug")
                || (parsed.subcommand() != null
                        && parsed.asCommandLineList().stream()
                                .anyMatch(p -> p.getParseResult().hasMatchedOption("--debug")));
        err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        if (debug) {
            e.printStackTrace(err);
        } else {
            err.println("This looks like a bug in Sluice. Run the command again with --debug and report the output.");
        }
        err.flush();
        return FAILURE;
    }

    public static int handleUsage(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("error: " + e.getMessage());
        String suggestion = suggest(e, cli);
        if (suggestion != null) {
            err.println("Did you mean '" + cli.getCommandSpec().qualifiedName() + " " + suggestion + "'?");
        } else {
            err.println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        err.flush();
        return USAGE;
    }

    /** The subcommand or option closest to an unmatched argument, within three edits. */
    private static String suggest(ParameterException e, CommandLine cli) {
        if (!(e instanceof picocli.CommandLine.UnmatchedArgumentException u)
                || u.getUnmatched().isEmpty()) {
            return null;
        }
        String arg = u.getUnmatched().get(0);
        java.util.List<String> candidates =
                new java.util.ArrayList<>(cli.getSubcommands().keySet());
        cli.getCommandSpec().options().forEach(o -> candidates.addAll(java.util.List.of(o.names())));
        return candidates.stream()
                .filter(c -> Levenshtein.distance(c, arg) <= 3)
                .min(java.util.Comparator.comparingInt(c -> Levenshtein.distance(c, arg)))
                .orElse(null);
    }

    static boolean isUserError(Throwable e) {
        return e instanceof UserException
                || e instanceof dev.sluice.stream.spec.PipelineException
                || e instanceof BrokerException
                || e instanceof LogException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException;
    }
}
