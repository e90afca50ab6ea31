package frl.experiment.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where and from what a result came: git revision (and whether the tree had uncommitted changes),
 * JDK, OS, CPU count and model. Written into run.json so a number can be traced to the code and
 * machine that produced it. Anything unreadable is recorded as "unknown", never guessed.
 */
public final class Environment {
    private Environment() {
    }

    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("git_revision", git("rev-parse", "HEAD"));
        String status = git("status", "--porcelain");
        m.put("git_dirty", status.equals("unknown") ? "unknown" : Boolean.toString(!status.isBlank()));
        m.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put("jvm", System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpu_count", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu_model", cpuModel());
        m.put("max_heap_mb", Long.toString(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        return m;
    }

    /**
     * How long process {@code pid} has been running, in whole seconds, from {@code /proc}: field 22
     * of its stat line (start time in clock ticks since boot) against {@code /proc/uptime}; "unknown"
     * when unreadable. Recorded so a reader can tell a fresh stack from one that ran all day.
     */
    public static String processAgeSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
            return Long.toString(Math.round(uptime - startTicks / 100.0));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Runs git in the directory the harness's classes were loaded from (inside the checkout that
     * built them), not the working directory, which may be anywhere.
     */
    private static String git(String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = codeDirectory();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String codeDirectory() {
        try {
            Path p = Path.of(Environment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return (Files.isDirectory(p) ? p : p.getParent()).toString();
        } catch (Exception e) { // no code source (unusual class loader): fall back to the working directory
            return ".";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
