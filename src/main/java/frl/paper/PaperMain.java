package frl.paper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code make paper}: reads {@code paper/sources.md}, writes every figure and table it names from
 * the committed results folders, then renders {@code paper/paper.md} to {@code paper/paper.html}.
 *
 * <pre>java frl.paper.PaperMain [--paper paper] [--root .]</pre>
 *
 * A manifest entry whose folder or file is missing stops the build with its name: a paper must
 * never quietly keep an old figure for a folder that is gone.
 */
public final class PaperMain {
    private PaperMain() {
    }

    public static void main(String[] args) throws IOException {
        Path paper = Path.of("paper"), root = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--paper" -> paper = Path.of(value(args, ++i));
                case "--root" -> root = Path.of(value(args, ++i));
                default -> {
                    System.err.println("unknown option '" + args[i] + "'; usage: PaperMain [--paper DIR] [--root DIR]");
                    System.exit(2);
                }
            }
        }
        try {
            build(paper, root).forEach(p -> System.out.println("wrote " + p));
        } catch (IllegalArgumentException e) {
            System.err.println("make paper: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Everything the manifest names, then paper.html if paper.md exists; returns what was written. */
    static java.util.List<Path> build(Path paper, Path root) throws IOException {
        Sources sources = Sources.read(paper.resolve("sources.md"), root);
        java.util.List<Path> written = new java.util.ArrayList<>();
        for (Sources.Source s : sources.entries()) {
            if (!Files.isDirectory(s.folder())) {
                throw new IllegalArgumentException("'" + s.name() + "': no results folder " + s.folder());
            }
            String text;
            try {
                text = switch (s.kind()) {
                    case TIMELINE -> Figures.timeline(s.folder());
                    case MAP -> Figures.map(s.folder());
                    case AMPLIFICATION -> Figures.amplification(s.folder());
                    case AUDIT -> Figures.audit(s.folder());
                    case TABLE -> Tables.markdown(s.folder());
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + s.name() + "' (" + s.kind().name().toLowerCase(java.util.Locale.ROOT) + " from "
                        + s.folder() + "): " + e.getMessage(), e);
            }
            Path out = s.output(paper);
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            written.add(out);
        }
        Path md = paper.resolve("paper.md");
        if (Files.isRegularFile(md)) {
            Path html = paper.resolve("paper.html");
            Files.writeString(html, new PaperHtml().render(md));
            written.add(html);
        }
        return written;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("option " + args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
