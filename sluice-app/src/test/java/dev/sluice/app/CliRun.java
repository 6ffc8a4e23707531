package dev.sluice.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** The {@code sluice} command line run in-process, with what it printed and its exit code. */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** With {@code --data-dir DIR} in front. */
    static CliRun onDataDir(Path dataDir, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = dataDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return of(all);
    }
}
