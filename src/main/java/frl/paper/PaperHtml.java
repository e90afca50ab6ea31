package frl.paper;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * paper.md as one self-contained HTML page: CommonMark (commonmark-java) for the prose, with
 * three additions done here so nothing else is needed to read it offline:
 * <ul>
 *   <li>a line {@code <!-- include tables/x.md -->} is replaced by that file (the generated tables);</li>
 *   <li>pipe tables, which core CommonMark does not know, become HTML tables (cells rendered as
 *       inline Markdown); a table inside a code fence is left alone;</li>
 *   <li>an image whose source is an {@code .svg} file beside the paper is inlined, its alt text
 *       as the caption; a missing figure is an error, not a broken image.</li>
 * </ul>
 *
 * <p>Thread-safe: the parser and renderer are immutable.
 */
final class PaperHtml {
    private static final Pattern INCLUDE = Pattern.compile("^<!-- include (\\S+) -->$");
    private static final Pattern SEPARATOR = Pattern.compile("^\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?$");
    private static final Pattern SVG_IMAGE = Pattern.compile("<img src=\"([^\"]+\\.svg)\" alt=\"([^\"]*)\" />");
    private static final String STYLE = "body{font-family:Georgia,serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}"
            + "table{border-collapse:collapse;font-size:0.8em;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
            + "th{background:#f4f4f4}code{font-size:0.9em}figure{margin:1em 0;overflow-x:auto}figcaption{font-size:0.85em;color:#555}";

    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().build();

    /** The page for {@code paper} (a Markdown file); includes and figures resolve beside it. */
    String render(Path paper) {
        Path dir = paper.toAbsolutePath().getParent();
        String markdown = pipeTables(includes(read(paper), dir));
        String body = inlineFigures(renderer.render(parser.parse(markdown)), dir);
        Matcher h1 = Pattern.compile("<h1>(.*?)</h1>").matcher(body);
        String title = h1.find() ? h1.group(1).replaceAll("<[^>]+>", "") : paper.getFileName().toString();
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title>\n<style>" + STYLE
                + "</style></head>\n<body>\n" + body + "</body></html>\n";
    }

    static String includes(String markdown, Path dir) {
        StringBuilder out = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            Matcher m = INCLUDE.matcher(line.trim());
            out.append(m.matches() ? read(dir.resolve(m.group(1))).stripTrailing() : line).append('\n');
        }
        return out.toString();
    }

    /** Each pipe table (header, separator, rows) outside a code fence, as an HTML block. */
    String pipeTables(String markdown) {
        String[] lines = markdown.split("\n", -1);
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].trim();
            if (t.startsWith("```")) {
                fenced = !fenced;
            }
            if (!fenced && t.startsWith("|") && i + 1 < lines.length && SEPARATOR.matcher(lines[i + 1].trim()).matches()) {
                List<List<String>> rows = new ArrayList<>();
                rows.add(cells(t));
                int j = i + 2;
                while (j < lines.length && lines[j].trim().startsWith("|")) {
                    rows.add(cells(lines[j].trim()));
                    j++;
                }
                out.append(table(rows)).append("\n\n");
                i = j - 1;
                continue;
            }
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }

    private String table(List<List<String>> rows) {
        StringBuilder h = new StringBuilder("<table>");
        for (int r = 0; r < rows.size(); r++) {
            String tag = r == 0 ? "th" : "td";
            h.append("<tr>");
            for (String cell : rows.get(r)) {
                h.append('<').append(tag).append('>').append(inline(cell)).append("</").append(tag).append('>');
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    /** A cell's Markdown rendered without its paragraph. */
    private String inline(String cell) {
        String html = renderer.render(parser.parse(cell)).trim();
        return html.startsWith("<p>") && html.endsWith("</p>") ? html.substring(3, html.length() - 4) : html;
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                out.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString().trim());
        return out;
    }

    static String inlineFigures(String html, Path dir) {
        Matcher m = SVG_IMAGE.matcher(html);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Path svg = dir.resolve(m.group(1));
            if (!Files.isRegularFile(svg)) {
                throw new IllegalArgumentException("the paper shows " + m.group(1) + ", which does not exist under " + dir + " (run make paper)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement("<figure>" + read(svg) + "<figcaption>" + m.group(2) + "</figcaption></figure>"));
        }
        return m.appendTail(out).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
